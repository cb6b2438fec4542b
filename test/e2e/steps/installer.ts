// Step 6: the package as users get it, through n8n's Community Nodes installer from a registry.
// A local registry (verdaccio) gets the run's tarball; a fresh n8n of its own (own user folder, so
// steps 1-5 are undisturbed) has N8N_COMMUNITY_PACKAGES_REGISTRY pointing at it, and its owner
//   - installs the package by name (POST /rest/community-packages, or the Install dialog in Chromium),
//   - sees it listed with its version, runs the example workflow with a credential,
//   - gets a newer version published (same contract, the node's description changed), updates
//     (PATCH, or the Update button): listed with the new version, the editor's types show the new
//     description, and the workflow saved before the update still runs with its credential,
//   - uninstalls (DELETE): the nodes are gone and n8n logged no error about the package.
//
// A registry other than registry.npmjs.org is a licensed feature of n8n
// (`feat:communityNodes:customRegistry`): a self-hosted user of a private registry has that licence.
// Here n8n's own end-to-end test switch stands in for it: with E2E_TESTS=true n8n serves
// PATCH /rest/e2e/feature, which turns the feature on. Nothing else of that mode is used.
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import type { E2eContext } from '../context';
import { CREDENTIAL, NODE_TYPE, TRIGGER_TYPE } from '../fixtures';
import { N8nInstance, type LogEntry } from '../n8n-instance';
import { tarballPackageJson } from '../package-install';
import { freePort } from '../ports';
import { LocalRegistry } from '../registry';
import { StepContext } from '../reporter';
import { N8nRest } from '../rest-client';
import { NEXT_VERSION_DESCRIPTION, buildVariantOfTarball } from '../variant';
import { DEFAULT_USER } from '../../emulator';
import { executeExample, importExample } from './execute';

export const CUSTOM_REGISTRY_FEATURE = 'feat:communityNodes:customRegistry';

export interface InstallerOptions {
	/** The package under test (published as is). */
	tarball: string;
	/** Install and update through the Community Nodes screen in Chromium instead of REST. */
	browser: boolean;
}

/** How the package gets installed and updated: REST calls, or the screen in Chromium. */
export interface InstallerDriver {
	how: string;
	install(name: string): Promise<void>;
	/** Updates to the registry's latest, which is `expected`. */
	update(name: string, expected: string): Promise<void>;
	close(): Promise<void>;
}

function restDriver(rest: N8nRest): InstallerDriver {
	return {
		how: 'REST',
		install: async (name) => void (await rest.installCommunityPackage(name)),
		update: async (name) => void (await rest.updateCommunityPackage(name)),
		close: async () => undefined,
	};
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/**
 * Reads until `done` or the ceiling. n8n rewrites /types/nodes.json in place after an install,
 * update or uninstall: a read in the middle gets cut-off JSON, which counts as "not yet".
 */
async function poll<T>(
	ceilingMs: number,
	read: () => Promise<T>,
	done: (value: T) => boolean,
): Promise<T> {
	const deadline = Date.now() + ceilingMs;
	for (;;) {
		try {
			const value = await read();
			if (done(value) || Date.now() > deadline) return value;
		} catch (error) {
			if (Date.now() > deadline) throw error;
		}
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

/** Log entries that speak of the package (the n8n install's own cache path does not count). */
function aboutPackage(entries: LogEntry[], packageName: string): LogEntry[] {
	const name = packageName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	const pattern = new RegExp(`${name}|celantur`, 'i');
	return entries.filter((entry) =>
		pattern.test(entry.raw.replace(/\.cache\/n8n-nodes-celantur\//g, '')),
	);
}

/** The example, run with `n8n execute` into an emptied output folder; the failures go to `step` with a prefix. */
async function runExample(ctx: E2eContext, step: StepContext, label: string): Promise<string> {
	for (const file of readdirSync(ctx.outputDir))
		rmSync(path.join(ctx.outputDir, file), { force: true });
	const sub = new StepContext();
	try {
		await executeExample(ctx, sub);
	} catch (error) {
		sub.failures.push(error instanceof Error ? error.message : String(error));
	}
	for (const failure of sub.failures) step.check(false, `${label}: ${failure}`);
	const files = sub.figures.find(([key]) => key === 'files')?.[1];
	return sub.failures.length === 0 ? `yes (${String(files ?? '?')})` : 'NO';
}

export function installThroughInstaller(
	options: InstallerOptions,
	uiDriver?: (ctx: E2eContext, n8n: N8nInstance) => Promise<InstallerDriver>,
) {
	return async (ctx: E2eContext, step: StepContext): Promise<void> => {
		const work = path.join(ctx.work, 'installer');
		const outputDir = path.join(work, 'out');
		mkdirSync(outputDir, { recursive: true });
		const current = await tarballPackageJson(options.tarball);
		const name = current.name;
		const next = await buildVariantOfTarball(
			options.tarball,
			'next-version',
			path.join(work, 'pack'),
		);
		const nextVersion = (await tarballPackageJson(next)).version;

		const registry = await LocalRegistry.start(path.join(work, 'verdaccio.log'));
		let n8n: N8nInstance | undefined;
		let driver: InstallerDriver | undefined;
		try {
			await registry.publish(options.tarball);
			step.figure('registry', `verdaccio at ${registry.url} holds ${name}@${current.version}`);

			// The list's "update available" comes from a plain `npm outdated` in n8n's nodes folder,
			// without --registry (n8n 1.x even runs it without the process's environment): npm's own
			// configuration must name the registry too, here a project .npmrc in that folder.
			const nodesFolder = path.join(work, 'n8n-user', '.n8n', 'nodes');
			mkdirSync(nodesFolder, { recursive: true });
			writeFileSync(path.join(nodesFolder, '.npmrc'), `registry=${registry.url}\n`);
			n8n = new N8nInstance({
				binary: ctx.n8n.options.binary,
				nodeBin: ctx.n8n.options.nodeBin,
				userFolder: path.join(work, 'n8n-user'),
				port: await freePort(),
				fileAccess: [ctx.inputDir, outputDir],
				logFile: path.join(work, 'n8n.log'),
				env: {
					N8N_COMMUNITY_PACKAGES_REGISTRY: registry.url,
					// The default in every version of the matrix, said out loud: the package is not (yet)
					// one of n8n's verified community nodes.
					N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
					// Stands in for the licence of feat:communityNodes:customRegistry (see the top).
					E2E_TESTS: 'true',
				},
			});
			await n8n.start();
			const rest = new N8nRest(n8n.baseUrl);
			await rest.setupOwner();
			await rest.login();
			await rest.enableE2eFeature(CUSTOM_REGISTRY_FEATURE);
			const local: E2eContext = { ...ctx, n8n, rest, outputDir, work };
			driver = options.browser && uiDriver ? await uiDriver(local, n8n) : restDriver(rest);

			// Install by name, as the dialog does: n8n runs `npm pack` against its registry.
			let started = Date.now();
			await driver.install(name);
			step.figure(
				'installed',
				`${name} through the installer (${driver.how}) in ${seconds(Date.now() - started)}`,
			);
			let listed = (await rest.communityPackages()).find((entry) => entry.packageName === name);
			step.require(
				listed !== undefined,
				`${name} is not listed in Settings -> Community nodes after installing`,
			);
			step.figure(
				'listed',
				`${listed.packageName}@${listed.installedVersion}, nodes ${listed.installedNodes.map((node) => node.type).join(' + ')}`,
			);
			step.check(
				listed.installedVersion === current.version,
				`listed with version ${listed.installedVersion}, published ${current.version}`,
			);
			const types = listed.installedNodes.map((node) => node.type).sort();
			step.check(
				types.join() === [NODE_TYPE, TRIGGER_TYPE].sort().join(),
				`the installer recorded nodes ${types.join(', ')}`,
			);
			step.check(!listed.failedLoading, 'listed as failed to load');

			// A credential and the example workflow, then a run: anonymized files.
			await importExample(local);
			step.figure('example ran', await runExample(local, step, 'before the update'));

			// A newer version in the registry: offered as an update, then installed over the old one.
			await registry.publish(next);
			started = Date.now();
			listed = (await rest.communityPackages()).find((entry) => entry.packageName === name);
			step.figure(
				'update offered',
				`${listed?.updateAvailable ?? 'none'} (list answered in ${seconds(Date.now() - started)})`,
			);
			step.check(
				listed?.updateAvailable === nextVersion,
				`the list offers update ${listed?.updateAvailable} after ${nextVersion} was published`,
			);
			started = Date.now();
			await driver.update(name, nextVersion);
			const updateMs = Date.now() - started;
			listed = (await rest.communityPackages()).find((entry) => entry.packageName === name);
			step.require(listed !== undefined, `${name} is no longer listed after the update`);
			step.figure(
				'updated',
				`${current.version} -> ${listed.installedVersion} in ${seconds(updateMs)}`,
			);
			step.check(
				listed.installedVersion === nextVersion,
				`listed with version ${listed.installedVersion} after the update to ${nextVersion}`,
			);
			const node = (
				await poll(
					60_000,
					() => rest.nodeTypes(),
					(nodes) =>
						nodes.some(
							(type) => type.name === NODE_TYPE && type.description === NEXT_VERSION_DESCRIPTION,
						),
				)
			).find((type) => type.name === NODE_TYPE);
			step.check(
				node?.description === NEXT_VERSION_DESCRIPTION,
				`the editor's Celantur node says "${node?.description}", not the new version's description`,
			);

			// The workflow saved before the update, unchanged, with the same credential.
			step.figure('workflow still ran', await runExample(local, step, 'after the update'));
			const credential = await rest.testCredential({
				...CREDENTIAL,
				data: {
					email: DEFAULT_USER.username,
					password: DEFAULT_USER.password,
					baseUrl: ctx.emulator.baseUrl,
				},
			});
			step.check(
				credential.status === 'OK',
				`the credential tests ${credential.status} after the update: ${credential.message}`,
			);

			// Uninstall: the nodes leave the editor, the folder goes, nothing about the package errs.
			await rest.uninstallCommunityPackage(name);
			const remaining = await poll(
				60_000,
				() => rest.nodeTypes(),
				(nodes) => !nodes.some((type) => type.name.startsWith(`${name}.`)),
			);
			const left = remaining
				.filter((type) => type.name.startsWith(`${name}.`))
				.map((type) => type.name);
			const stillListed = (await rest.communityPackages()).some(
				(entry) => entry.packageName === name,
			);
			const folderLeft = existsSync(
				path.join(work, 'n8n-user', '.n8n', 'nodes', 'node_modules', name),
			);
			step.check(left.length === 0, `after uninstalling, the editor still has ${left.join(', ')}`);
			step.check(!stillListed, 'still listed after uninstalling');
			step.check(!folderLeft, 'the package folder is still in .n8n/nodes/node_modules');
			const logs = aboutPackage(n8n.logs(), name);
			const errors = logs.filter(
				(entry) => entry.level === 'error' || (entry.level === 'raw' && /error/i.test(entry.raw)),
			);
			const warnings = logs.filter((entry) => entry.level === 'warn');
			for (const entry of errors)
				step.check(false, `n8n logged: ${(entry.message || entry.raw).slice(0, 300)}`);
			for (const entry of warnings)
				step.figure('warning', (entry.message || entry.raw).slice(0, 200));
			step.figure(
				'uninstalled',
				`${left.length === 0 && !stillListed && !folderLeft ? 'yes' : 'NO'}, ${errors.length} errors and ${warnings.length} warnings about the package in n8n's log`,
			);
		} finally {
			await driver?.close();
			await n8n?.stop();
			await registry.stop();
			rmSync(path.join(work, 'n8n-user', '.cache'), { recursive: true, force: true });
		}
	};
}
