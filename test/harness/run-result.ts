import type { INodeExecutionData, IRun } from 'n8n-workflow';
import { UserError } from 'n8n-workflow';

import type { BinaryDataHandle } from './binary-data';
import type { RunResult } from './types';

export function createRunResult(run: IRun, binaryData: BinaryDataHandle): RunResult {
	const { runData, error } = run.data.resultData;
	return {
		run,
		runData,
		error,
		status: run.status,
		output(nodeName, outputIndex = 0) {
			const runs = runData[nodeName];
			if (!runs?.length) {
				const ran = Object.keys(runData).join(', ') || 'none';
				const why = error ? ` The execution failed: ${error.message}` : '';
				throw new UserError(`Node "${nodeName}" did not run (nodes that ran: ${ran}).${why}`);
			}
			return runs[runs.length - 1].data?.main?.[outputIndex] ?? [];
		},
		binary: async (item, property) => await readBinary(binaryData, item, property),
	};
}

export async function readBinary(
	binaryData: BinaryDataHandle,
	item: INodeExecutionData,
	property: string,
): Promise<Buffer> {
	const binary = item.binary?.[property];
	if (!binary) {
		const present = Object.keys(item.binary ?? {}).join(', ') || 'none';
		throw new UserError(`The item has no binary property "${property}" (present: ${present}).`);
	}
	return await binaryData.read(binary);
}
