// What the callback steps feed n8n: folders of test images (batches), a credential of their own, and
// one small workflow per scenario: Webhook -> Read images (a folder) -> Anonymize (Create, Wait Mode
// Callback or Poll) -> After (No Operation). Every workflow is imported in one `n8n import:workflow`.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { DEFAULT_USER } from '../../emulator';
import { NODE_TYPE, TEST_IMAGES, renderImage, type TestImage } from '../fixtures';

export const CALLBACK_CREDENTIAL = {
	id: 'celanturCallback',
	name: 'Celantur (callback steps)',
	type: 'celanturApi',
} as const;

export const TRIGGER_NODE = 'Start';
export const READ_NODE = 'Read images';
export const ANONYMIZE_NODE = 'Anonymize';
export const AFTER_NODE = 'After';

/** A workflow of the callback steps: which folder it reads and how its Create waits. */
export interface Scenario {
	/** Short, alphanumeric: it names the workflow id and the webhook path. */
	key: string;
	/** The folder of images it reads (several scenarios may read the same batch). */
	batch: BatchName;
	waitMode: 'callback' | 'poll';
	/** Create's Options > Timeout, seconds. */
	timeout: number;
}

/** Batches of images, by size: each is a folder `callback-<name>` under the input folder. */
export const BATCHES = { b1: 1, b2: 2, b3: 3, b5: 5, b50: 50, bBig: 5 } as const;

/** Batch bBig: three small images, then two of 4800x3600 that take the emulator seconds each. */
const BIG = { width: 4800, height: 3600 } as const;
export type BatchName = keyof typeof BATCHES;

const LONG = 900;
export const DEADLINE_SECONDS = 10;
/** The restart step: a deadline that falls while n8n is down, and one that falls after it is back. */
export const RESTART_SHORT_SECONDS = 20;
export const RESTART_LONG_SECONDS = 150;

export const SCENARIOS = {
	cb1: { key: 'cb1', batch: 'b1', waitMode: 'callback', timeout: LONG },
	pl1: { key: 'pl1', batch: 'b1', waitMode: 'poll', timeout: LONG },
	cb5: { key: 'cb5', batch: 'b5', waitMode: 'callback', timeout: LONG },
	pl5: { key: 'pl5', batch: 'b5', waitMode: 'poll', timeout: LONG },
	pl3: { key: 'pl3', batch: 'b3', waitMode: 'poll', timeout: LONG },
	plBig: { key: 'plBig', batch: 'bBig', waitMode: 'poll', timeout: LONG },
	cb50: { key: 'cb50', batch: 'b50', waitMode: 'callback', timeout: LONG },
	pl50: { key: 'pl50', batch: 'b50', waitMode: 'poll', timeout: LONG },
	burst: { key: 'burst', batch: 'b5', waitMode: 'callback', timeout: LONG },
	fail: { key: 'fail', batch: 'b5', waitMode: 'callback', timeout: LONG },
	list: { key: 'list', batch: 'b5', waitMode: 'callback', timeout: LONG },
	fail2: { key: 'fail2', batch: 'bBig', waitMode: 'callback', timeout: 120 },
	drop: { key: 'drop', batch: 'b1', waitMode: 'callback', timeout: DEADLINE_SECONDS },
	rsLate: { key: 'rsLate', batch: 'b2', waitMode: 'callback', timeout: RESTART_LONG_SECONDS },
	rsBack: { key: 'rsBack', batch: 'b3', waitMode: 'callback', timeout: LONG },
	rsDown: { key: 'rsDown', batch: 'b2', waitMode: 'callback', timeout: RESTART_SHORT_SECONDS },
} satisfies Record<string, Scenario>;
export type ScenarioKey = keyof typeof SCENARIOS;

/** The poll-mode run of each batch that callback steps compare with. */
export const POLL_OF: Partial<Record<BatchName, ScenarioKey>> = {
	b1: 'pl1',
	b3: 'pl3',
	b5: 'pl5',
	b50: 'pl50',
	bBig: 'plBig',
};

/** n8n's workflow ids are 16 alphanumerics. */
export function workflowId(key: string): string {
	if (!/^[A-Za-z0-9]{1,6}$/.test(key)) throw new Error(`scenario key ${key}: 1-6 alphanumerics`);
	return `celanturCb${key.padEnd(6, 'x')}`;
}

export function webhookPath(key: string): string {
	return `celantur-callback-${key}`;
}

/** A stable UUID per scenario (n8n keys production webhooks by the node's webhookId). */
function uuidOf(key: string, n: number): string {
	const hex = Buffer.from(`${key}:${n}`).toString('hex').padEnd(32, '0').slice(0, 32);
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export interface BatchImage extends TestImage {
	bytes: Buffer;
}

/** The folders of every batch under `inputDir`, with the images written; name -> image. */
export function writeBatches(inputDir: string): Record<BatchName, Map<string, BatchImage>> {
	const out = {} as Record<BatchName, Map<string, BatchImage>>;
	for (const [name, count] of Object.entries(BATCHES) as Array<[BatchName, number]>) {
		const dir = batchDir(inputDir, name);
		mkdirSync(dir, { recursive: true });
		const images = new Map<string, BatchImage>();
		for (let n = 0; n < count; n++) {
			const design = TEST_IMAGES[n % TEST_IMAGES.length];
			const big = name === 'bBig' && n >= 3;
			const image: TestImage = big
				? {
						name: `${String(n + 1).padStart(2, '0')}-big.jpg`,
						format: 'jpeg',
						...BIG,
						objects: [{ type: 'face', x: 2400, y: 1200, width: 600, height: 600 }],
					}
				: { ...design, name: `${String(n + 1).padStart(2, '0')}-${design.name}` };
			const bytes = renderImage(image, 1000 + count * 100 + n);
			writeFileSync(path.join(dir, image.name), bytes);
			images.set(image.name, { ...image, bytes });
		}
		out[name] = images;
	}
	return out;
}

export function batchDir(inputDir: string, batch: BatchName): string {
	return path.join(inputDir, `callback-${batch}`);
}

export function scenarioWorkflow(scenario: Scenario, inputDir: string): Record<string, unknown> {
	const id = (n: number) => uuidOf(scenario.key, n);
	const options: Record<string, unknown> = { timeout: scenario.timeout };
	if (scenario.waitMode === 'callback') options.waitMode = 'callback';
	return {
		id: workflowId(scenario.key),
		name: `Celantur callback steps: ${scenario.key} (${BATCHES[scenario.batch]} images, ${scenario.waitMode})`,
		active: false,
		nodes: [
			{
				parameters: {
					httpMethod: 'POST',
					path: webhookPath(scenario.key),
					responseMode: 'onReceived',
					options: {},
				},
				id: id(1),
				name: TRIGGER_NODE,
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: id(9),
			},
			{
				parameters: {
					operation: 'read',
					fileSelector: `${batchDir(inputDir, scenario.batch)}/*.{jpg,png}`,
					options: {},
				},
				id: id(2),
				name: READ_NODE,
				type: 'n8n-nodes-base.readWriteFile',
				typeVersion: 1.1,
				position: [220, 0],
			},
			{
				parameters: {
					resource: 'task',
					operation: 'create',
					binaryPropertyName: 'data',
					anonymizationMethod: 'blur',
					objects: ['face', 'licensePlate'],
					waitForCompletion: true,
					downloadResult: true,
					options,
					simplify: true,
				},
				id: id(3),
				name: ANONYMIZE_NODE,
				type: NODE_TYPE,
				typeVersion: 1,
				position: [440, 0],
				credentials: {
					celanturApi: { id: CALLBACK_CREDENTIAL.id, name: CALLBACK_CREDENTIAL.name },
				},
				onError: 'continueRegularOutput',
			},
			{
				parameters: {},
				id: id(4),
				name: AFTER_NODE,
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [660, 0],
			},
		],
		connections: {
			[TRIGGER_NODE]: { main: [[{ node: READ_NODE, type: 'main', index: 0 }]] },
			[READ_NODE]: { main: [[{ node: ANONYMIZE_NODE, type: 'main', index: 0 }]] },
			[ANONYMIZE_NODE]: { main: [[{ node: AFTER_NODE, type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/** The credential and every scenario's workflow, as `n8n import:credentials` / `import:workflow` take them. */
export function writeImportFiles(
	work: string,
	inputDir: string,
	baseUrl: string,
): { credentialFile: string; workflowsFile: string } {
	const credentialFile = path.join(work, 'callback-credential.json');
	const workflowsFile = path.join(work, 'callback-workflows.json');
	writeFileSync(
		credentialFile,
		JSON.stringify(
			[
				{
					...CALLBACK_CREDENTIAL,
					data: { email: DEFAULT_USER.username, password: DEFAULT_USER.password, baseUrl },
				},
			],
			null,
			2,
		),
	);
	writeFileSync(
		workflowsFile,
		JSON.stringify(
			Object.values(SCENARIOS).map((scenario) => scenarioWorkflow(scenario, inputDir)),
			null,
			2,
		),
	);
	return { credentialFile, workflowsFile };
}
