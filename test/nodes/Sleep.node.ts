import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, sleepWithAbort } from 'n8n-workflow';

export const SLEEP_TYPE = 'test.sleep';

const sleepStarts = new Set<() => void>();

/**
 * Calls `listener` each time a Sleep node begins to wait, so a test can stop an execution in the
 * middle of the wait instead of guessing when that is; returns the function that stops listening.
 */
export function onSleepStart(listener: () => void): () => void {
	sleepStarts.add(listener);
	return () => sleepStarts.delete(listener);
}

/** Waits as a polling node does between requests: with n8n-workflow's sleep and the cancel signal. */
export class Sleep implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Sleep',
		name: SLEEP_TYPE,
		group: ['transform'],
		version: 1,
		description: 'Test-only: waits, stopping when the execution is cancelled',
		defaults: { name: 'Sleep' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Milliseconds', name: 'ms', type: 'number', default: 1000 }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const waiting = sleepWithAbort(
			this.getNodeParameter('ms', 0) as number,
			this.getExecutionCancelSignal(),
		);
		for (const listener of [...sleepStarts]) listener();
		await waiting;
		return [this.getInputData()];
	}
}
