import { writeHeapSnapshot, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import path from 'node:path';

// The bench runs under ts-node, where no command-line flag reaches node: expose gc from here.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

export interface MemoryFigures {
	rss: number;
	heapUsed: number;
	external: number;
}

/** Memory once garbage is gone, so what is left is what something still holds. */
export function settledMemory(): MemoryFigures {
	collect();
	collect();
	const { rss, heapUsed, external } = process.memoryUsage();
	return { rss, heapUsed, external };
}

/** Samples this process's RSS until stopped; the peak is what the run cost in memory at its worst. */
export function rssSampler(): { stop(): number } {
	let peak = process.memoryUsage.rss();
	const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
	return {
		stop: () => {
			clearInterval(timer);
			return Math.max(peak, process.memoryUsage.rss());
		},
	};
}

export function heapSnapshot(dir: string | undefined, name: string): void {
	if (!dir) return;
	collect();
	const file = writeHeapSnapshot(path.join(dir, `${name}.heapsnapshot`));
	console.error(`heap snapshot: ${file}`);
}
