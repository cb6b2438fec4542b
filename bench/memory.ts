import { writeHeapSnapshot, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import path from 'node:path';

// The bench runs under ts-node, where no command-line flag reaches node: expose gc from here.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

export interface MemoryFigures {
	rss: number;
	/** What V8 has reserved for its heap, used or not: RSS it may keep after a collection. */
	heapTotal: number;
	heapUsed: number;
	/** Buffers and other memory outside V8's heap that JavaScript objects hold. */
	external: number;
}

/** Memory once garbage is gone, so what is left is what something still holds. */
export function settledMemory(): MemoryFigures {
	collect();
	collect();
	const { rss, heapTotal, heapUsed, external } = process.memoryUsage();
	return { rss, heapTotal, heapUsed, external };
}

export interface Peaks {
	rss: number;
	/** The most the JavaScript heap held during the run, garbage included, and what V8 reserved for it. */
	heapUsed: number;
	heapTotal: number;
}

/** Samples this process's memory until stopped; the peak is what the run cost in memory at its worst. */
export function memorySampler(): { stop(): Peaks } {
	const peaks: Peaks = { rss: 0, heapUsed: 0, heapTotal: 0 };
	const sample = () => {
		const { rss, heapUsed, heapTotal } = process.memoryUsage();
		peaks.rss = Math.max(peaks.rss, rss);
		peaks.heapUsed = Math.max(peaks.heapUsed, heapUsed);
		peaks.heapTotal = Math.max(peaks.heapTotal, heapTotal);
	};
	sample();
	const timer = setInterval(sample, 50);
	return {
		stop: () => {
			clearInterval(timer);
			sample();
			return peaks;
		},
	};
}

export function heapSnapshot(dir: string | undefined, name: string): void {
	if (!dir) return;
	collect();
	const file = writeHeapSnapshot(path.join(dir, `${name}.heapsnapshot`));
	console.error(`heap snapshot: ${file}`);
}
