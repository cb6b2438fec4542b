import { Credentials } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsExpressionResolveValues,
	IExecuteData,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeProperties,
	INodeTypes,
	IRequestOptionsSimplified,
	IWorkflowExecuteAdditionalData,
	Workflow,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { ICredentialsHelper, isExpression } from 'n8n-workflow';

import { applyAuthentication } from './apply-authentication';
import { resolveCredentialData } from './credential-data';
import type { CredentialStore } from './credential-store';
import type { HarnessCredentialTypes } from './credential-types';

/**
 * What n8n's CLI supplies to n8n-core as `additionalData.credentialsHelper`, backed by the
 * in-memory store instead of the database. n8n-core's request helpers decide when to call
 * preAuthentication (empty token, or a 401 with credentialsExpired=true), when to retry, and
 * which credentials to use; this class only does what the CLI's CredentialsHelper does.
 */
export class HarnessCredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly store: CredentialStore,
		private readonly credentialTypes: HarnessCredentialTypes,
		private readonly nodeTypes: INodeTypes,
	) {
		super();
	}

	getParentTypes(name: string): string[] {
		return this.credentialTypes.getParentTypes(name);
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.credentialTypes.getProperties(type);
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow: Workflow,
		node: INode,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = this.credentialTypes.getByName(typeName);
		return await applyAuthentication(authenticate, credentials, requestOptions, workflow, node);
	}

	/**
	 * As n8n's CLI: only for a type with a hidden `expirable` property, and only when that property
	 * is empty or n8n-core says the request came back 401. The new values are saved so later
	 * requests and executions reuse them.
	 */
	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.credentialTypes.getByName(typeName);
		const expirable = this.getCredentialsProperties(typeName).find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (expirable === undefined || typeof credentialType.preAuthentication !== 'function') {
			return undefined;
		}
		// n8n's credential test runs on this mock node and always signs in.
		const isTestingCredentials =
			node.parameters?.temp === '' && node.type === 'n8n-nodes-base.noOp';
		if (credentials[expirable.name] !== '' && !credentialsExpired && !isTestingCredentials) {
			return undefined;
		}

		const nodeCredentials = node.credentials?.[credentialType.name];
		if (nodeCredentials?.id) this.store.recordSignIn(nodeCredentials.id);
		const output = await credentialType.preAuthentication.call(helpers, credentials);
		if (output[expirable.name] === undefined || !nodeCredentials) return undefined;

		// Persist onto the stored (unresolved) data, never over a field the user set as an expression.
		const stored = this.store.get(this.store.resolve(nodeCredentials, credentialType.name).id);
		const toPersist: ICredentialDataDecryptedObject = { ...stored };
		for (const [key, value] of Object.entries(output as ICredentialDataDecryptedObject)) {
			if (key === expirable.name || !isExpression(stored[key])) toPersist[key] = value;
		}
		await this.updateCredentials(nodeCredentials, credentialType.name, toPersist);
		return Object.assign(credentials, output);
	}

	async getCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<Credentials> {
		const { id, name } = this.store.resolve(nodeCredentials, type);
		const credentials = new Credentials({ id, name }, type);
		credentials.setData(this.store.get(id));
		return credentials;
	}

	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const stored = this.store.get(this.store.resolve(nodeCredentials, type).id);
		if (raw === true) return stored;
		return resolveCredentialData({
			stored,
			properties: this.getCredentialsProperties(type),
			additionalData,
			mode,
			nodeTypes: this.nodeTypes,
			executeData,
			expressionResolveValues,
		});
	}

	async updateCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.store.replace(this.store.resolve(nodeCredentials, type).id, data);
	}

	async updateCredentialsOauthTokenData(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		const { id } = this.store.resolve(nodeCredentials, type);
		this.store.replace(id, { ...this.store.get(id), oauthTokenData: data.oauthTokenData });
	}
}
