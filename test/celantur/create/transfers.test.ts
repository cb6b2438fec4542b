import type { Emulator, EndpointKey } from '../../emulator';
import { anonymizeFilesWorkflow, useCelanturEnv } from '../../support/celantur-env';
import { useImageFolder, writeStreetImages } from '../../support/images';

const TRANSFERS: EndpointKey[] = ['upload', 'downloadAnonymized'];

/**
 * Follows the emulator's requests as they arrive and are answered: the most transfers that were
 * in flight at once, the most tasks that had been created with no upload begun, and the most of
 * those created while every transfer slot was busy.
 */
function watchTransfers(emulator: Emulator, slots: number) {
	let inFlight = 0;
	let mostInFlight = 0;
	let createdNotUploading = 0;
	let mostCreatedAhead = 0;
	let mostCreatedWhileFull = 0;
	const on = emulator.on;
	const stops = [
		on('request', (entry) => {
			if (TRANSFERS.includes(entry.endpoint)) mostInFlight = Math.max(mostInFlight, ++inFlight);
			if (entry.endpoint === 'upload') createdNotUploading--;
		}),
		on('response', (entry) => {
			if (TRANSFERS.includes(entry.endpoint)) inFlight--;
			if (entry.endpoint === 'createTask') {
				mostCreatedAhead = Math.max(mostCreatedAhead, ++createdNotUploading);
				if (inFlight >= slots)
					mostCreatedWhileFull = Math.max(mostCreatedWhileFull, createdNotUploading);
			}
		}),
	];
	return {
		stop: () => stops.forEach((stop) => stop()),
		figures: () => ({ mostInFlight, mostCreatedAhead, mostCreatedWhileFull }),
	};
}

describe('Celantur create: transfers and tasks created ahead of them stay within Concurrency', () => {
	const env = useCelanturEnv({
		// Creating a task takes as long as an upload, as over a real network: a slot that made its
		// own task first would spend half its time moving no bytes.
		emulator: {
			latency: { createMs: 80, queuedMs: 0, processingMs: 300, uploadMs: 80, downloadMs: 20 },
		},
	});
	const folder = useImageFolder();

	it('moves at most Concurrency images at once, creating the next tasks meanwhile but never many ahead', async () => {
		const files = writeStreetImages(folder, 16, 'jpeg');
		const watch = watchTransfers(env.emulator, 2);

		const result = await env.harness.run(anonymizeFilesWorkflow(files, { concurrency: 2 }));
		watch.stop();

		expect(result.error).toBeUndefined();
		expect(result.output('Anonymize')).toHaveLength(files.length);
		const { mostInFlight, mostCreatedAhead, mostCreatedWhileFull } = watch.figures();
		expect(mostInFlight).toBe(2);
		// Creating a task holds no transfer slot: the next tasks are made while both slots move bytes.
		// (Were the create part of the slot's work, a slot's upload could not run while its create did.)
		expect(mostCreatedWhileFull).toBeGreaterThanOrEqual(1);
		// Two created and waiting for a slot, and up to two whose slot is taken but whose upload
		// has not reached Celantur yet; sixteen would be a batch creating every task first.
		expect(mostCreatedAhead).toBeLessThanOrEqual(4);
		expect(env.emulator.counters()).toMatchObject({
			createTask: files.length,
			upload: files.length,
			downloadAnonymized: files.length,
		});
	});
});
