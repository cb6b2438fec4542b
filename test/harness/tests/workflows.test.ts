import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { Harness } from '../index';
import {
	COUNT_RUNS_TYPE,
	FAIL_TYPE,
	MANUAL_START_TYPE,
	READ_FIXTURE_TYPE,
	SET_JSON_TYPE,
	SLEEP_TYPE,
	connect,
	onSleepStart,
	createHarness,
	node,
	workflow,
} from '../index';

const PNG_BYTES = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
	'base64',
);

describe('harness: workflows through WorkflowExecute', () => {
	let harness: Harness;
	let fixtureDir: string;

	beforeAll(async () => {
		harness = await createHarness({ nodeTypes: {} });
		fixtureDir = mkdtempSync(path.join(tmpdir(), 'harness-fixture-'));
	});

	afterAll(async () => {
		await harness.close();
		rmSync(fixtureDir, { recursive: true, force: true });
	});

	it('runs two nodes and reads their outputs back', async () => {
		const result = await harness.run(
			workflow([
				node('Start', MANUAL_START_TYPE),
				node('Items', READ_FIXTURE_TYPE, {
					files: JSON.stringify([{ json: { n: 1 } }, { json: { n: 2 } }]),
				}),
			]),
		);

		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');
		expect(result.output('Start')).toHaveLength(1);
		expect(result.output('Items').map((item) => item.json)).toEqual([{ n: 1 }, { n: 2 }]);
		expect(() => result.output('Nowhere')).toThrow('did not run');
	});

	it('resolves expression parameters per item', async () => {
		const result = await harness.run(
			workflow([
				node('Start', MANUAL_START_TYPE),
				node('Items', READ_FIXTURE_TYPE, {
					files: JSON.stringify([{ json: { x: 2 } }, { json: { x: 5 } }]),
				}),
				node('Set', SET_JSON_TYPE, {
					fields: { field: [{ name: 'double', value: '={{ $json.x * 2 }}' }] },
					jsonOutput: '={{ { "from": $("Items").item.json.x } }}',
				}),
			]),
		);

		expect(result.output('Set').map((item) => item.json)).toEqual([
			{ x: 2, double: 4, from: 2 },
			{ x: 5, double: 10, from: 5 },
		]);
	});

	it('carries a binary property between nodes through the filesystem store', async () => {
		const filePath = path.join(fixtureDir, 'pixel.png');
		writeFileSync(filePath, PNG_BYTES);
		const result = await harness.run(
			workflow([
				node('Start', MANUAL_START_TYPE),
				node('Read', READ_FIXTURE_TYPE, {
					files: JSON.stringify([
						{ path: filePath, property: 'image' },
						{ base64: 'aGVsbG8=', fileName: 'hello.txt' },
					]),
				}),
				node('Set', SET_JSON_TYPE, {
					fields: {
						field: [
							{ name: 'seen', value: '={{ $binary.image?.fileName ?? $binary.data.fileName }}' },
						],
					},
				}),
			]),
		);

		expect(harness.binaryMode).toBe('filesystem');
		const [image, text] = result.output('Set');
		expect(image.json.seen).toBe('pixel.png');
		const stored = image.binary?.image;
		expect(stored).toMatchObject({
			mimeType: 'image/png',
			fileName: 'pixel.png',
			fileExtension: 'png',
		});
		// Filesystem mode: an id into the store, no base64 payload in the item.
		expect(stored?.id).toMatch(/^filesystem-v2:/);
		expect(stored?.data).toBe('filesystem-v2');
		expect(await result.binary(image, 'image')).toEqual(PNG_BYTES);
		expect((await result.binary(text, 'data')).toString()).toBe('hello');
		await expect(result.binary(text, 'image')).rejects.toThrow('no binary property "image"');
	});

	it('continues on fail per item and routes errors to the error output', async () => {
		const files = JSON.stringify([{ json: { ok: true } }, { json: { ok: false } }]);
		const regular = await harness.run(
			workflow([
				node('Start', MANUAL_START_TYPE),
				node('Items', READ_FIXTURE_TYPE, { files }),
				node(
					'Fail',
					FAIL_TYPE,
					{ failWhen: '={{ !$json.ok }}', message: 'not ok' },
					{ continueOnFail: true },
				),
				node('After', SET_JSON_TYPE, { fields: { field: [{ name: 'after', value: 'yes' }] } }),
			]),
		);
		expect(regular.error).toBeUndefined();
		expect(regular.output('After').map((item) => item.json)).toEqual([
			{ ok: true, after: 'yes' },
			{ error: 'not ok', after: 'yes' },
		]);

		const branched = workflow([
			node('Start', MANUAL_START_TYPE),
			node('Items', READ_FIXTURE_TYPE, { files }),
			node(
				'Fail',
				FAIL_TYPE,
				{ failWhen: '={{ !$json.ok }}', message: 'not ok' },
				{ onError: 'continueErrorOutput' },
			),
			node('Good', SET_JSON_TYPE),
		]);
		branched.nodes.push(node('Bad', SET_JSON_TYPE));
		connect(branched, 'Fail', 'Bad', { outputIndex: 1 });
		const result = await harness.run(branched);
		expect(result.output('Good').map((item) => item.json)).toEqual([{ ok: true }]);
		// n8n merges the failed item's input json into its error item.
		expect(result.output('Bad').map((item) => item.json)).toEqual([{ ok: false, error: 'not ok' }]);

		const stopped = await harness.run(
			workflow([
				node('Start', MANUAL_START_TYPE),
				node('Items', READ_FIXTURE_TYPE, { files }),
				node('Fail', FAIL_TYPE, { failWhen: '={{ !$json.ok }}', message: 'not ok' }),
				node('After', SET_JSON_TYPE),
			]),
		);
		expect(stopped.status).toBe('error');
		expect(stopped.error?.message).toBe('not ok');
		expect(stopped.runData.After).toBeUndefined();
	});

	it('saves static data after production runs only, as n8n does', async () => {
		const counter = workflow([node('Start', MANUAL_START_TYPE), node('Count', COUNT_RUNS_TYPE)]);

		expect((await harness.run(counter)).output('Count')[0].json.runs).toBe(1);
		expect((await harness.run(counter)).output('Count')[0].json.runs).toBe(1);
		expect((await harness.run(counter, { mode: 'trigger' })).output('Count')[0].json.runs).toBe(1);
		expect((await harness.run(counter, { mode: 'trigger' })).output('Count')[0].json.runs).toBe(2);
		expect(counter.staticData).toBeUndefined();
	});

	it('cancels a waiting node when the signal aborts', async () => {
		const controller = new AbortController();
		// Abort while the node waits, not after a guessed delay; a wait that ignored the signal would
		// run its full hour and the test into jest's timeout.
		const off = onSleepStart(() => controller.abort());
		let result: Awaited<ReturnType<Harness['run']>>;
		try {
			result = await harness.run(
				workflow([
					node('Start', MANUAL_START_TYPE),
					node('Wait', SLEEP_TYPE, { ms: 3_600_000 }),
					node('After', SET_JSON_TYPE),
				]),
				{ signal: controller.signal },
			);
		} finally {
			off();
		}

		expect(result.status).toBe('canceled');
		expect(result.error?.name).toMatch(/Cancelled/);
		expect(result.runData.After).toBeUndefined();
	});

	it('stops an execution at its timeout', async () => {
		// The node would wait an hour: only the execution's 200 ms timeout can end it before jest's does.
		const result = await harness.run(
			workflow([node('Start', MANUAL_START_TYPE), node('Wait', SLEEP_TYPE, { ms: 3_600_000 })]),
			{ timeoutMs: 200 },
		);

		expect(result.status).toBe('canceled');
		// The sleeping node rejects with its own cancellation error, which WorkflowExecute keeps.
		expect(result.error?.name).toMatch(/ExecutionCancelledError$/);
	});
});

describe('harness: binary modes', () => {
	it('keeps binary data inline in default mode', async () => {
		const harness = await createHarness({ nodeTypes: {}, binaryMode: 'default' });
		try {
			const result = await harness.run(
				workflow([
					node('Start', MANUAL_START_TYPE),
					node('Read', READ_FIXTURE_TYPE, {
						files: JSON.stringify([{ base64: PNG_BYTES.toString('base64') }]),
					}),
					node('Set', SET_JSON_TYPE),
				]),
			);

			const [item] = result.output('Set');
			expect(harness.binaryMode).toBe('default');
			expect(item.binary?.data.id).toBeUndefined();
			expect(item.binary?.data.data).toBe(PNG_BYTES.toString('base64'));
			// Sniffed from the bytes by n8n-core, as no name or type was given.
			expect(item.binary?.data.mimeType).toBe('image/png');
			expect(await result.binary(item, 'data')).toEqual(PNG_BYTES);
		} finally {
			await harness.close();
		}
	});

	it('refuses two open harnesses of different modes in one test file', async () => {
		const harness = await createHarness({ nodeTypes: {} });
		try {
			await expect(createHarness({ nodeTypes: {}, binaryMode: 'default' })).rejects.toThrow(
				'still open in this test file',
			);
			const second = await createHarness({ nodeTypes: {} });
			await second.close();
			// Closing one of two leaves the shared store usable.
			const result = await harness.run(
				workflow([
					node('Start', MANUAL_START_TYPE),
					node('Read', READ_FIXTURE_TYPE, { files: '[{"text":"still here"}]' }),
				]),
			);
			expect((await result.binary(result.output('Read')[0], 'data')).toString()).toBe('still here');
		} finally {
			await harness.close();
		}
	});
});
