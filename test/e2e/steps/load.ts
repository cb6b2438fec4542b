// Step 1: n8n starts with the community package installed, loads both nodes and the credential
// without errors, and serves them to the editor.
import type { E2eContext } from '../context';
import { NODE_TYPE, TRIGGER_TYPE } from '../fixtures';
import type { StepContext } from '../reporter';
import type { TypeDescription } from '../rest-client';

export async function startAndCheckLoaded(ctx: E2eContext, step: StepContext): Promise<void> {
	const started = Date.now();
	await ctx.n8n.start();
	step.figure('startup', `${((Date.now() - started) / 1000).toFixed(1)} s`);

	const logs = ctx.n8n.logs();
	const loaded = logs.find(
		(entry) => entry.message === `Loaded all credentials and nodes from ${ctx.packageName}`,
	);
	if (
		step.check(
			loaded !== undefined,
			`n8n did not log "Loaded all credentials and nodes from ${ctx.packageName}"`,
		) &&
		loaded
	) {
		step.figure(
			'log',
			`${loaded.metadata.nodes} nodes + ${loaded.metadata.credentials} credential loaded`,
		);
		step.check(
			loaded.metadata.nodes === 2 && loaded.metadata.credentials === 1,
			`expected 2 nodes and 1 credential, log says ${JSON.stringify(loaded.metadata)}`,
		);
	}
	const errors = logs.filter(
		(entry) => entry.level === 'error' || (entry.level === 'raw' && /error/i.test(entry.raw)),
	);
	// The n8n install's own path (a cache folder named after this package) says nothing of the package.
	const about = (entry: { raw: string }): string =>
		entry.raw.replace(/\.cache\/n8n-nodes-celantur\//g, '');
	const ours = errors.filter((entry) =>
		/celantur|directory-loader|load-nodes-and-credentials|class could not be found/i.test(
			about(entry),
		),
	);
	step.figure('errors logged', `${errors.length} (${ours.length} about the package)`);
	for (const entry of ours) step.check(false, `load error: ${entry.message || entry.raw}`);

	await ctx.rest.setupOwner();
	await ctx.rest.login();
	const nodes = await ctx.rest.nodeTypes();
	const credentials = await ctx.rest.credentialTypes();
	const node = nodes.find((type) => type.name === NODE_TYPE);
	const trigger = nodes.find((type) => type.name === TRIGGER_TYPE);
	const credential = credentials.find((type) => type.name === 'celanturApi');
	step.check(
		node !== undefined,
		`${NODE_TYPE} is not among the editor's ${nodes.length} node types`,
	);
	step.check(trigger !== undefined, `${TRIGGER_TYPE} is not among the editor's node types`);
	step.check(
		credential !== undefined,
		"credential type celanturApi is not among the editor's credential types",
	);
	for (const type of [node, trigger]) {
		if (!type) continue;
		const names = (type.credentials ?? []).map((c) => c.name);
		step.check(
			names.includes('celanturApi'),
			`${type.name} asks for credentials ${JSON.stringify(names)}, not celanturApi`,
		);
		for (const name of names)
			step.check(
				credentials.some((c) => c.name === name),
				`${type.name} asks for credential "${name}", which n8n does not know`,
			);
	}
	if (credential) {
		const supported = credential.supportedNodes ?? [];
		step.figure('credential supports', supported.join(' + ') || 'nothing');
		step.check(
			supported.includes(NODE_TYPE) && supported.includes(TRIGGER_TYPE),
			`n8n links celanturApi to ${JSON.stringify(supported)}, not to both nodes`,
		);
	}
	await checkIcons(ctx, step, { node, trigger, credential });
	step.figure(
		'editor types',
		`${node ? 'Celantur' : '-'}, ${trigger ? 'Celantur Trigger' : '-'}, ${credential ? credential.displayName : '-'}`,
	);
}

/**
 * Each type's icon, light and dark, as the editor fetches it: a missing file (a wrong relative
 * `file:` path, an icon gulp did not copy) shows as a blank square, not as an error, so it is
 * fetched here and must be the package's SVG.
 */
async function checkIcons(
	ctx: E2eContext,
	step: StepContext,
	types: Record<string, TypeDescription | undefined>,
): Promise<void> {
	const served: string[] = [];
	for (const [what, type] of Object.entries(types)) {
		if (!type) continue;
		const urls =
			typeof type.iconUrl === 'string'
				? [type.iconUrl]
				: type.iconUrl
					? [type.iconUrl.light, type.iconUrl.dark]
					: [];
		if (
			!step.check(
				urls.length === 2,
				`${what} has icon URLs ${JSON.stringify(type.iconUrl)}, not a light and a dark one`,
			)
		)
			continue;
		for (const url of urls) {
			const icon = await ctx.rest.asset(url);
			const ok = icon.status === 200 && /<svg[\s>]/.test(icon.body);
			step.check(
				ok,
				`${what}'s icon ${url} answered ${icon.status} ${icon.contentType} (${icon.body.length} bytes), not an SVG`,
			);
			if (ok) served.push(url.split('/').slice(-2).join('/'));
		}
	}
	step.figure('icons served', [...new Set(served)].join(', '));
}
