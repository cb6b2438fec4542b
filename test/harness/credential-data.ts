import { getAdditionalKeys } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsExpressionResolveValues,
	IExecuteData,
	INode,
	INodeParameters,
	INodeProperties,
	INodeTypes,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { NodeHelpers, Workflow, isExpression } from 'n8n-workflow';

import { MANUAL_START_TYPE } from '../nodes/ManualStart.node';

export interface ResolveCredentialData {
	stored: ICredentialDataDecryptedObject;
	properties: INodeProperties[];
	additionalData: IWorkflowExecuteAdditionalData;
	mode: WorkflowExecuteMode;
	nodeTypes: INodeTypes;
	executeData?: IExecuteData;
	expressionResolveValues?: ICredentialsExpressionResolveValues;
}

/** Stored data as n8n hands it to nodes: the type's defaults filled in, expressions resolved. */
export function resolveCredentialData(
	options: ResolveCredentialData,
): ICredentialDataDecryptedObject {
	const { stored, properties, additionalData, mode, executeData, expressionResolveValues } =
		options;
	const withDefaults = (NodeHelpers.getNodeParameters(
		properties,
		stored as INodeParameters,
		true,
		false,
		null,
		null,
	) ?? {}) as ICredentialDataDecryptedObject;
	// Not a declared property, so getNodeParameters drops it.
	if (stored.oauthTokenData !== undefined) withDefaults.oauthTokenData = stored.oauthTokenData;
	if (!Object.values(withDefaults).some((value) => isExpression(value))) return withDefaults;

	const additionalKeys = getAdditionalKeys(additionalData, mode, null, { secretsEnabled: false });
	if (expressionResolveValues) {
		const { workflow, runExecutionData, runIndex, itemIndex, node, connectionInputData } =
			expressionResolveValues;
		return workflow.expression.getParameterValue(
			withDefaults as INodeParameters,
			runExecutionData,
			runIndex,
			itemIndex,
			node.name,
			connectionInputData,
			mode,
			additionalKeys,
			executeData,
			false,
			withDefaults,
		) as ICredentialDataDecryptedObject;
	}
	// Outside an execution (e.g. a webhook call) n8n resolves against a one-node mock workflow.
	const mockNode: INode = {
		id: 'credentials-mock',
		name: '',
		type: MANUAL_START_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const workflow = new Workflow({
		nodes: [mockNode],
		connections: {},
		active: false,
		nodeTypes: options.nodeTypes,
	});
	return workflow.expression.getComplexParameterValue(
		mockNode,
		withDefaults as INodeParameters,
		mode,
		additionalKeys,
		undefined,
		undefined,
		withDefaults,
	) as ICredentialDataDecryptedObject;
}
