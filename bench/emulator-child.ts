// The emulator in its own process for the benchmark, so the memory measured in the parent is the
// node's and n8n-core's alone. Talks to the parent over IPC.
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { startEmulator, type Emulator } from '../test/emulator';
import { makeTestImage } from '../test/emulator/images';

export type ChildRequest =
	| { kind: 'counters' }
	| { kind: 'resetLog' }
	| { kind: 'timeline' }
	| { kind: 'makeImages'; dir: string; count: number; bytes: number }
	| { kind: 'cpu' }
	| { kind: 'close' };

export type ChildReply =
	| { kind: 'ready'; baseUrl: string }
	| { kind: 'counters'; counters: Record<string, number> }
	| { kind: 'done' }
	| { kind: 'timeline'; timeline: Timeline }
	| { kind: 'images'; files: string[]; bytes: number }
	| { kind: 'cpu'; seconds: number };

/** When each endpoint was first and last asked (ms since the epoch), to tell a run's phases apart. */
export type Timeline = Record<string, { first: number; last: number }>;

function timeline(entries: Emulator['log']): Timeline {
	const spans: Timeline = {};
	for (const { endpoint, time } of entries) {
		const span = (spans[endpoint] ??= { first: time, last: time });
		span.first = Math.min(span.first, time);
		span.last = Math.max(span.last, time);
	}
	return spans;
}

function reply(message: ChildReply): void {
	process.send?.(message);
}

async function main(): Promise<void> {
	const processingMs = Number(process.env.BENCH_PROCESSING_MS ?? 2000);
	const emulator: Emulator = await startEmulator({
		latency: { queuedMs: 0, processingMs },
		pixelWork: 'copy',
	});
	process.on('message', (message: ChildRequest) => {
		if (message.kind === 'counters') reply({ kind: 'counters', counters: emulator.counters() });
		if (message.kind === 'timeline') reply({ kind: 'timeline', timeline: timeline(emulator.log) });
		if (message.kind === 'resetLog') {
			emulator.resetLog();
			reply({ kind: 'done' });
		}
		if (message.kind === 'makeImages') {
			// One street scene padded to the wanted size, written under many names.
			const image = makeTestImage({
				format: 'jpeg',
				width: 640,
				height: 400,
				objects: [
					{ type: 'face', x: 80, y: 60, width: 60, height: 72 },
					{ type: 'license_plate', x: 260, y: 300, width: 110, height: 32 },
				],
				padToBytes: message.bytes,
			});
			const files = Array.from({ length: message.count }, (_, n) => {
				const file = path.join(message.dir, `street-${String(n).padStart(4, '0')}.jpg`);
				writeFileSync(file, image);
				return file;
			});
			reply({ kind: 'images', files, bytes: image.length });
		}
		if (message.kind === 'cpu') {
			const { user, system } = process.cpuUsage();
			reply({ kind: 'cpu', seconds: (user + system) / 1e6 });
		}
		if (message.kind === 'close') {
			void emulator.close().then(() => process.exit(0));
		}
	});
	reply({ kind: 'ready', baseUrl: emulator.baseUrl });
}

void main();
