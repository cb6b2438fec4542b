import type {
	IConnections,
	IDataObject,
	INode,
	INodeCredentialsDetails,
	INodeParameters,
	IWorkflowSettings,
	OnError,
} from 'n8n-workflow';
import { NodeConnectionTypes, UserError } from 'n8n-workflow';
import { randomUUID } from 'node:crypto';

import type { WorkflowInput } from './types';

export interface NodeOptions {
	/** Credential type -> credential id (or n8n's `{ id, name }`). */
	credentials?: Record<string, string | INodeCredentialsDetails>;
	typeVersion?: number;
	continueOnFail?: boolean;
	onError?: OnError;
	disabled?: boolean;
	alwaysOutputData?: boolean;
	executeOnce?: boolean;
	retryOnFail?: boolean;
	maxTries?: number;
	waitBetweenTries?: number;
	/** Webhook nodes get a random one, as the editor gives them. */
	webhookId?: string;
}

let position = 0;

export function node(
	name: string,
	type: string,
	parameters: INodeParameters = {},
	options: NodeOptions = {},
): INode {
	const { credentials, typeVersion, webhookId, ...flags } = options;
	position += 1;
	const built: INode = {
		id: randomUUID(),
		name,
		type,
		typeVersion: typeVersion ?? 1,
		position: [position * 200, 0],
		parameters,
		webhookId: webhookId ?? randomUUID(),
		...flags,
	};
	if (credentials) {
		built.credentials = Object.fromEntries(
			Object.entries(credentials).map(([credentialType, ref]) => [
				credentialType,
				typeof ref === 'string' ? { id: ref, name: ref } : ref,
			]),
		);
	}
	return built;
}

export interface WorkflowExtras {
	settings?: IWorkflowSettings;
	staticData?: IDataObject;
}

/** The nodes chained in order, each main output 0 into the next node's main input 0. */
export function workflow(nodes: INode[], extras: WorkflowExtras = {}): WorkflowInput {
	const names = new Set<string>();
	for (const { name } of nodes) {
		if (names.has(name))
			throw new UserError(`Two nodes are named "${name}"; n8n needs unique names.`);
		names.add(name);
	}
	const built: WorkflowInput = { nodes, connections: {}, ...extras };
	for (let index = 1; index < nodes.length; index++) {
		connect(built, nodes[index - 1].name, nodes[index].name);
	}
	return built;
}

/** Adds a main connection, e.g. a node's error output (1 with onError 'continueErrorOutput'). */
export function connect(
	target: { connections: IConnections },
	from: string,
	to: string,
	{ outputIndex = 0, inputIndex = 0 }: { outputIndex?: number; inputIndex?: number } = {},
): void {
	const outputs = (target.connections[from] ??= {});
	const main = (outputs[NodeConnectionTypes.Main] ??= []);
	while (main.length <= outputIndex) main.push([]);
	const slot = (main[outputIndex] ??= []);
	slot.push({ node: to, type: NodeConnectionTypes.Main, index: inputIndex });
}
