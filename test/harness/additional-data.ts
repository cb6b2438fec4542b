import { ExternalSecretsProxy } from 'n8n-core';
import type { ExecutionLifecycleHooks } from 'n8n-core';
import type {
	ICredentialsHelper,
	IWorkflowExecuteAdditionalData,
	IWorkflowSettings,
} from 'n8n-workflow';
import { ApplicationError } from 'n8n-workflow';

/** The URLs nodes see; nothing listens on them. */
const BASE_URL = 'http://localhost:5678';

export interface AdditionalDataOptions {
	credentialsHelper: ICredentialsHelper;
	executionId: string;
	hooks?: ExecutionLifecycleHooks;
	workflowSettings?: IWorkflowSettings;
}

/** What n8n's CLI hands to n8n-core for one execution, minus the database-backed features. */
export function createAdditionalData(
	options: AdditionalDataOptions,
): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper: options.credentialsHelper,
		executionId: options.executionId,
		hooks: options.hooks,
		workflowSettings: options.workflowSettings,
		externalSecretsProxy: new ExternalSecretsProxy(),
		currentNodeExecutionIndex: 0,
		restApiUrl: `${BASE_URL}/rest`,
		instanceBaseUrl: `${BASE_URL}/`,
		formWaitingBaseUrl: `${BASE_URL}/form-waiting`,
		webhookBaseUrl: `${BASE_URL}/webhook`,
		webhookWaitingBaseUrl: `${BASE_URL}/webhook-waiting`,
		webhookTestBaseUrl: `${BASE_URL}/webhook-test`,
		variables: {},
		logAiEvent: () => undefined,
		getRunExecutionData: async () => undefined,
		executeWorkflow: async () => {
			throw new ApplicationError('The test harness does not run sub-workflows.');
		},
		startRunnerTask: async () => {
			throw new ApplicationError('The test harness has no task runner (Code node).');
		},
	};
}
