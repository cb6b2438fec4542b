import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	IHttpRequestOptions,
	INode,
	IRequestOptionsSimplified,
	Workflow,
} from 'n8n-workflow';
import { isExpression } from 'n8n-workflow';

/**
 * A credential type's `authenticate` applied to a request, as n8n's CLI does (n8n-core only calls
 * it): a function is called; the generic rules' expressions such as `={{$credentials.accessToken}}`
 * are resolved by n8n-workflow and set on headers, qs, body or auth.
 */
export async function applyAuthentication(
	authenticate: IAuthenticate | undefined,
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
	workflow: Workflow,
	node: INode,
): Promise<IHttpRequestOptions> {
	if (typeof authenticate === 'function') {
		return await authenticate(credentials, requestOptions as IHttpRequestOptions);
	}
	if (authenticate?.type !== 'generic') return requestOptions as IHttpRequestOptions;

	const resolve = (value: unknown): unknown => {
		if (typeof value !== 'string' || !isExpression(value)) return value;
		const resolved = workflow.expression.getSimpleParameterValue(
			node,
			value,
			'internal',
			{ $credentials: credentials },
			undefined,
			'',
		);
		return resolved ? String(resolved) : '';
	};
	const target = requestOptions as unknown as Record<string, unknown>;
	for (const [section, rules] of Object.entries(authenticate.properties)) {
		// `url` and `skipSslCertificateValidation` are plain values, not maps of rules.
		if (typeof rules !== 'object' || rules === null) {
			target[section] = resolve(rules);
			continue;
		}
		const existing = target[section];
		const bucket =
			typeof existing === 'object' && existing !== null
				? (existing as Record<string, unknown>)
				: {};
		for (const [key, value] of Object.entries(rules as Record<string, unknown>)) {
			bucket[String(resolve(key))] = resolve(value);
		}
		target[section] = bucket;
	}
	return requestOptions as IHttpRequestOptions;
}
