import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { runJobs } from './run-jobs';

export const API_PROBE_TYPE = 'bench.apiProbe';
const CREDENTIAL_TYPE = 'celanturApi';

/**
 * Bench-only: creates `jobs` tasks, `concurrency` at a time, through httpRequestWithAuthentication,
 * the way any node with this credential must call the API; outputs the seconds and CPU seconds that took (the workflow around it not counted). The
 * credential's sign-in and token handling are n8n-core's work, which the plain ideal leaves out.
 */
export class ApiProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'API Probe',
		name: API_PROBE_TYPE,
		group: ['transform'],
		version: 1,
		description: 'Bench-only: authenticated task creates, timed',
		defaults: { name: 'API Probe' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		properties: [
			{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
			{ displayName: 'Jobs', name: 'jobs', type: 'number', default: 50 },
			{ displayName: 'Concurrency', name: 'concurrency', type: 'number', default: 10 },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const baseUrl = this.getNodeParameter('baseUrl', 0) as string;
		const jobs = this.getNodeParameter('jobs', 0) as number;
		const concurrency = this.getNodeParameter('concurrency', 0) as number;
		const cpuBefore = process.cpuUsage();
		const seconds = await runJobs(jobs, concurrency, async () => {
			await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, {
				method: 'POST',
				url: `${baseUrl}/task`,
				json: true,
				body: { anonymization_method: 'blur', face: true, start_on: 'start_request' },
			});
		});
		const { user, system } = process.cpuUsage(cpuBefore);
		return [[{ json: { seconds, cpuSeconds: (user + system) / 1e6 }, pairedItem: { item: 0 } }]];
	}
}
