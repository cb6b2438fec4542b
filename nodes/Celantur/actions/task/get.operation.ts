import type { INodeProperties } from 'n8n-workflow';

import { getTask } from '../../../shared/transport/endpoints';
import { simplifyField, taskIdField } from './fields';
import { forOperation, perTaskId, shapeOutput, withTaskId } from './shared';

const properties: INodeProperties[] = [taskIdField, simplifyField];

export const description = forOperation('get', properties);

export const execute = perTaskId(async (ctx, client, itemIndex, taskId) => {
	const task = withTaskId(await getTask(client, taskId, itemIndex), taskId);
	return [{ json: shapeOutput(ctx, itemIndex, task) }];
});
