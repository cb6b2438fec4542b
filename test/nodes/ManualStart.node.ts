import type {
	INodeType,
	INodeTypeDescription,
	ITriggerFunctions,
	ITriggerResponse,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

export const MANUAL_START_TYPE = 'test.manualStart';

/** n8n's Manual Trigger: the start node WorkflowExecute looks for, emitting one empty item. */
export class ManualStart implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Manual Start',
		name: MANUAL_START_TYPE,
		group: ['trigger'],
		version: 1,
		description: 'Starts the workflow, as "Execute workflow" in the editor',
		defaults: { name: 'Start' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		// Outside manual mode WorkflowExecute passes the start item through without calling this.
		const manualTriggerFunction = async () => {
			this.emit([this.helpers.returnJsonArray([{}])]);
		};
		return { manualTriggerFunction };
	}
}
