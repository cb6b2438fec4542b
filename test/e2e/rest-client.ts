// The parts of n8n's internal REST API (/rest, as the editor uses it) the e2e run needs, with the
// session cookie of the signed-in user.

export interface Owner {
	email: string;
	firstName: string;
	lastName: string;
	password: string;
}

export const E2E_OWNER: Owner = {
	email: 'owner@celantur-e2e.test',
	firstName: 'E2E',
	lastName: 'Owner',
	password: 'E2e-Owner-Passw0rd',
};

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

export interface ExecutionSummary {
	id: string;
	workflowId: string;
	mode: string;
	status: string;
	finished?: boolean;
	startedAt?: string;
	stoppedAt?: string;
}

export interface ExecutionDetail extends ExecutionSummary {
	/** flatted-encoded IRunExecutionData */
	data: string;
}

export interface WorkflowDetail {
	id: string;
	name: string;
	versionId: string;
	active: boolean;
	activeVersionId: string | null;
	staticData?: Record<string, { emittedTaskIds?: string[] } | undefined> | null;
	nodes: Array<{
		name: string;
		type: string;
		webhookId?: string;
		parameters: Record<string, unknown>;
	}>;
}

export interface TypeDescription {
	name: string;
	displayName: string;
	description?: string;
	credentials?: Array<{ name: string; required?: boolean }>;
	supportedNodes?: string[];
	version?: number | number[];
	/** Where the editor loads the icon from, relative to n8n's root: one URL, or one per theme. */
	iconUrl?: string | { light: string; dark: string };
}

/** A package as Settings -> Community nodes lists it (n8n's installed_packages + installed_nodes). */
export interface InstalledPackage {
	packageName: string;
	installedVersion: string;
	authorName?: string;
	authorEmail?: string;
	installedNodes: Array<{ name: string; type: string; latestVersion: number | string }>;
	/** The newer version `npm outdated` found in the registry, if any. */
	updateAvailable?: string;
	failedLoading?: boolean;
}

export class RestError extends Error {
	constructor(
		readonly method: string,
		readonly path: string,
		readonly status: number,
		readonly body: string,
	) {
		super(`${method} ${path} answered ${status}: ${body.slice(0, 500)}`);
	}
}

export class N8nRest {
	private cookie = '';

	constructor(readonly baseUrl: string) {}

	private async request(method: string, path: string, body?: unknown): Promise<Response> {
		const headers: Record<string, string> = { accept: 'application/json' };
		if (this.cookie) headers.cookie = this.cookie;
		if (body !== undefined) headers['content-type'] = 'application/json';
		const response = await fetch(`${this.baseUrl}${path}`, {
			method,
			headers,
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const auth = response.headers.getSetCookie().find((cookie) => cookie.startsWith('n8n-auth='));
		if (auth) this.cookie = auth.split(';')[0];
		if (!response.ok) throw new RestError(method, path, response.status, await response.text());
		return response;
	}

	/** A file the editor loads (an icon, say), with its status, whether or not it was found. */
	async asset(path: string): Promise<{ status: number; contentType: string; body: string }> {
		const response = await fetch(`${this.baseUrl}/${path.replace(/^\//, '')}`, {
			headers: this.cookie ? { cookie: this.cookie } : {},
		});
		return {
			status: response.status,
			contentType: response.headers.get('content-type') ?? '',
			body: await response.text(),
		};
	}

	/** A /rest call; n8n wraps answers in `{ data }`. */
	async call<T>(method: string, path: string, body?: unknown): Promise<T> {
		const response = await this.request(method, `/rest${path}`, body);
		const json = (await response.json()) as { data: T };
		return json.data;
	}

	async setupOwner(owner: Owner = E2E_OWNER): Promise<void> {
		await this.call('POST', '/owner/setup', owner);
	}

	async login(email = E2E_OWNER.email, password = E2E_OWNER.password): Promise<void> {
		await this.call('POST', '/login', { emailOrLdapLoginId: email, password });
	}

	/** What the editor's node panel is built from (served to signed-in users). */
	async nodeTypes(): Promise<TypeDescription[]> {
		return (await (await this.request('GET', '/types/nodes.json')).json()) as TypeDescription[];
	}

	async credentialTypes(): Promise<TypeDescription[]> {
		return (await (
			await this.request('GET', '/types/credentials.json')
		).json()) as TypeDescription[];
	}

	/** The credential dialog's Test button. `data` replaces the stored data where given. */
	async testCredential(credential: {
		id: string;
		name: string;
		type: string;
		data: Record<string, unknown>;
	}): Promise<CredentialTestResult> {
		return this.call<CredentialTestResult>('POST', '/credentials/test', {
			credentials: credential,
		});
	}

	async workflow(id: string): Promise<WorkflowDetail> {
		return this.call<WorkflowDetail>('GET', `/workflows/${id}`);
	}

	/** n8n 2 "publishes" a version of the workflow: that version is what its triggers run. */
	async activateWorkflow(id: string, versionId: string): Promise<WorkflowDetail> {
		return this.call<WorkflowDetail>('POST', `/workflows/${id}/activate`, { versionId });
	}

	async deactivateWorkflow(id: string): Promise<WorkflowDetail> {
		return this.call<WorkflowDetail>('POST', `/workflows/${id}/deactivate`, {});
	}

	async executions(workflowId: string): Promise<ExecutionSummary[]> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const page = await this.call<{ results: ExecutionSummary[] }>(
			'GET',
			`/executions?filter=${filter}&limit=50`,
		);
		return page.results;
	}

	async execution(id: string): Promise<ExecutionDetail> {
		return this.call<ExecutionDetail>('GET', `/executions/${id}`);
	}

	/** Settings -> Community nodes: the installed packages. */
	async communityPackages(): Promise<InstalledPackage[]> {
		return this.call<InstalledPackage[]>('GET', '/community-packages');
	}

	/** The Install dialog: n8n's installer fetches `name` (`name@version`) from its registry. */
	async installCommunityPackage(name: string, version?: string): Promise<InstalledPackage> {
		return this.call<InstalledPackage>(
			'POST',
			'/community-packages',
			version ? { name, version } : { name },
		);
	}

	/** The Update button: to `version`, or to the registry's latest. */
	async updateCommunityPackage(name: string, version?: string): Promise<InstalledPackage> {
		return this.call<InstalledPackage>(
			'PATCH',
			'/community-packages',
			version ? { name, version } : { name },
		);
	}

	/** The Uninstall button. */
	async uninstallCommunityPackage(name: string): Promise<void> {
		await this.request('DELETE', `/rest/community-packages?name=${encodeURIComponent(name)}`);
	}

	/**
	 * n8n's own end-to-end test switch (only with E2E_TESTS=true, no sign-in): turns a licensed
	 * feature on, e.g. `feat:communityNodes:customRegistry`.
	 */
	async enableE2eFeature(feature: string): Promise<void> {
		await this.call('PATCH', '/e2e/feature', { feature, enabled: true });
	}

	async binaryData(id: string): Promise<Buffer> {
		const response = await this.request(
			'GET',
			`/rest/binary-data?id=${encodeURIComponent(id)}&action=download`,
		);
		return Buffer.from(await response.arrayBuffer());
	}
}
