// A Celantur emulator plus an n8n-core harness with this package's nodes and credential, wired
// together the way a user would: a credential pointing at the emulator, nodes that use it.
import type { INode, INodeParameters } from 'n8n-workflow';

import { CelanturApi } from '../../credentials/CelanturApi.credentials';
import { Celantur } from '../../nodes/Celantur/Celantur.node';
import { CelanturTrigger } from '../../nodes/CelanturTrigger/CelanturTrigger.node';
import { DEFAULT_USER, startEmulator, type Emulator, type EmulatorOptions } from '../emulator';
import {
	createHarness,
	MANUAL_START_TYPE,
	node,
	READ_FIXTURE_TYPE,
	workflow,
	type BinaryMode,
	type FixtureEntry,
	type Harness,
	type WorkflowInput,
} from '../harness';

export const CELANTUR_TYPE = 'n8n-nodes-celantur.celantur';
export const TOOL_TYPE = 'n8n-nodes-celantur.celanturTool';
export const TRIGGER_TYPE = 'n8n-nodes-celantur.celanturTrigger';
export const CREDENTIAL_ID = 'celantur-test';

export interface CelanturEnv {
	emulator: Emulator;
	harness: Harness;
	close(): Promise<void>;
}

export interface EnvOptions {
	emulator?: EmulatorOptions;
	binaryMode?: BinaryMode;
	/** Overrides of the credential's data (e.g. a wrong password or another base URL). */
	credential?: Record<string, string>;
}

export async function startCelanturEnv(options: EnvOptions = {}): Promise<CelanturEnv> {
	const emulator = await startEmulator(options.emulator);
	const harness = await createHarness({
		nodeTypes: {
			[CELANTUR_TYPE]: new Celantur(),
			[TOOL_TYPE]: celanturToolStandIn(),
			[TRIGGER_TYPE]: new CelanturTrigger(),
		},
		credentialTypes: { celanturApi: new CelanturApi() },
		credentials: [
			{
				id: CREDENTIAL_ID,
				name: 'Celantur (emulator)',
				type: 'celanturApi',
				data: {
					email: DEFAULT_USER.username,
					password: DEFAULT_USER.password,
					baseUrl: emulator.baseUrl,
					...options.credential,
				},
			},
		],
		binaryMode: options.binaryMode,
	});
	return {
		emulator,
		harness,
		close: async () => {
			await harness.close();
			await emulator.close();
		},
	};
}

/** The parts of a CelanturEnv a test reads; `close()` is left to the hooks. */
export type CelanturEnvAccess = Pick<CelanturEnv, 'emulator' | 'harness'>;

/**
 * startCelanturEnv() before the block's tests (beforeAll) and close() after them (afterAll).
 * Read `emulator` and `harness` inside tests and hooks, not at describe time.
 */
export function useCelanturEnv(options?: EnvOptions): CelanturEnvAccess {
	let env: CelanturEnv | undefined;
	beforeAll(async () => {
		env = await startCelanturEnv(options);
	});
	afterAll(async () => {
		await env?.close();
		env = undefined;
	});
	const started = () => {
		if (!env)
			throw new Error(
				'useCelanturEnv(): read emulator/harness inside a test or hook, after beforeAll',
			);
		return env;
	};
	return {
		get emulator() {
			return started().emulator;
		},
		get harness() {
			return started().harness;
		},
	};
}

/**
 * The node's tool variant as n8n's loader makes it from `usableAsTool` (name + "Tool", display name
 * + " Tool"), but still on main connections: n8n-core alone cannot run an agent, and an agent runs
 * a tool just so, as a node of the execution with one item of the tool's arguments, from which
 * `$fromAI` reads them. The agent and MCP connections themselves are the e2e's `agent` and `mcp` steps.
 */
function celanturToolStandIn(): Celantur {
	const tool = new Celantur();
	tool.description = {
		...tool.description,
		name: `${tool.description.name}Tool`,
		displayName: `${tool.description.displayName} Tool`,
	};
	return tool;
}

/** The tool variant, with only what an agent's user sets: the operation and the credential. */
export function celanturToolNode(name: string, parameters: INodeParameters): INode {
	return node(
		name,
		TOOL_TYPE,
		{ resource: 'task', ...parameters },
		{ credentials: { celanturApi: CREDENTIAL_ID } },
	);
}

export function celanturNode(
	name: string,
	parameters: INodeParameters,
	extra: Partial<INode> = {},
): INode {
	return {
		...node(
			name,
			CELANTUR_TYPE,
			{ resource: 'task', ...parameters },
			{ credentials: { celanturApi: CREDENTIAL_ID } },
		),
		...extra,
	};
}

export function triggerNode(name: string, parameters: INodeParameters = {}): INode {
	return node(name, TRIGGER_TYPE, parameters, { credentials: { celanturApi: CREDENTIAL_ID } });
}

/** A node that emits one item per entry, like Read/Write Files from Disk would. */
export function fixtureNode(name: string, files: FixtureEntry[]): INode {
	return node(name, READ_FIXTURE_TYPE, { files: JSON.stringify(files) });
}

/** Start, a Read of `files`, and an Anonymize that blurs faces with the given Options. */
export function anonymizeFilesWorkflow(
	files: FixtureEntry[],
	options: INodeParameters,
): WorkflowInput {
	return workflow([
		node('Start', MANUAL_START_TYPE),
		fixtureNode('Read', files),
		celanturNode('Anonymize', {
			operation: 'create',
			anonymizationMethod: 'blur',
			objects: ['face'],
			options,
		}),
	]);
}

/** How many requests of each endpoint the emulator saw since `before` was taken. */
export function requestsSince(
	emulator: Emulator,
	before: Record<string, number>,
): Record<string, number> {
	const now = emulator.counters();
	const delta: Record<string, number> = {};
	for (const [key, count] of Object.entries(now)) {
		const diff = count - (before[key] ?? 0);
		if (diff) delta[key] = diff;
	}
	return delta;
}
