// A local npm registry for the installer step: verdaccio, pinned, installed once by this script into
// the e2e cache folder (never by hand), started on a free loopback port with a throwaway storage
// folder and no uplinks (it serves only what the run publishes to it), stopped after.
//
// verdaccio 6.8.0 installs and runs on Node 20 (6.10+ wants Node 22) with node-fetch pinned by an
// override to 2.7.0: its verdaccio-audit asks for node-fetch by the dist-tag `cjs`, meaning the
// CommonJS 2.x line; the pin makes that exact.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';

import { freePort } from './ports';
import { mustRun, stopGroup, sweepGroup } from './processes';

export const VERDACCIO_VERSION = '6.8.0';

function cacheRoot(): string {
	return process.env.CELANTUR_N8N_CACHE ?? path.join(homedir(), '.cache', 'n8n-nodes-celantur');
}

/** npm's own settings from `npm run` (npm_config_*) would steer the npm commands run here: dropped. */
function npmEnv(): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env))
		if (!/^npm_config_/i.test(key)) env[key] = value;
	return env;
}

/** verdaccio's start script, installed into the cache folder if needed (on the system's Node.js). */
export async function ensureVerdaccio(): Promise<string> {
	const dir = path.join(cacheRoot(), `verdaccio-${VERDACCIO_VERSION}`);
	const bin = path.join(dir, 'node_modules', 'verdaccio', 'bin', 'verdaccio');
	const installedPackage = path.join(dir, 'node_modules', 'verdaccio', 'package.json');
	const installedVersion = existsSync(installedPackage)
		? (JSON.parse(readFileSync(installedPackage, 'utf8')) as { version: string }).version
		: undefined;
	if (installedVersion !== VERDACCIO_VERSION || !existsSync(bin)) {
		mkdirSync(dir, { recursive: true });
		const manifest = {
			name: 'celantur-e2e-verdaccio',
			private: true,
			dependencies: { verdaccio: VERDACCIO_VERSION },
			overrides: { 'node-fetch': '2.7.0' },
		};
		writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
		console.error(`Installing verdaccio ${VERDACCIO_VERSION} into ${dir} (once)...`);
		await mustRun('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
			cwd: dir,
			env: npmEnv(),
			timeoutMs: 15 * 60_000,
			echo: true,
		});
		if (!existsSync(bin)) throw new Error(`verdaccio did not install into ${dir}`);
	}
	return bin;
}

export class LocalRegistry {
	private constructor(
		readonly url: string,
		private readonly folder: string,
		private readonly child: ChildProcess,
		private readonly npmrc: string,
	) {}

	/** Starts verdaccio with a fresh storage, creates a publisher account and keeps its token. */
	static async start(logFile?: string): Promise<LocalRegistry> {
		const bin = await ensureVerdaccio();
		const folder = mkdtempSync(path.join(tmpdir(), 'celantur-registry-'));
		const port = await freePort();
		const url = `http://127.0.0.1:${port}/`;
		const config = [
			`storage: ${JSON.stringify(path.join(folder, 'storage'))}`,
			'auth:',
			'  htpasswd:',
			`    file: ${JSON.stringify(path.join(folder, 'htpasswd'))}`,
			'    max_users: 10',
			// No uplinks: nothing is proxied to another registry.
			'uplinks: {}',
			'packages:',
			"  '**':",
			'    access: $all',
			'    publish: $authenticated',
			'    unpublish: $authenticated',
			'web:',
			'  enable: false',
			'log: { type: stdout, format: json, level: warn }',
			'',
		].join('\n');
		const configFile = path.join(folder, 'config.yaml');
		writeFileSync(configFile, config);
		const child = spawn(
			process.execPath,
			[bin, '--config', configFile, '--listen', `127.0.0.1:${port}`],
			{
				cwd: folder,
				env: npmEnv(),
				stdio: ['ignore', 'pipe', 'pipe'],
				detached: true,
			},
		);
		const pid = child.pid;
		const onExit = (): void => {
			if (pid !== undefined) sweepGroup(pid);
		};
		process.once('exit', onExit);
		child.once('exit', () => process.off('exit', onExit));
		let output = '';
		const collect = (chunk: Buffer): void => {
			output += chunk.toString('utf8');
			if (logFile) writeFileSync(logFile, output);
		};
		child.stdout?.on('data', collect);
		child.stderr?.on('data', collect);
		let exited = false;
		child.once('exit', () => {
			exited = true;
		});

		const deadline = Date.now() + 120_000;
		for (;;) {
			if (exited) throw new Error(`verdaccio exited during start-up:\n${output.slice(-2000)}`);
			try {
				if ((await fetch(`${url}-/ping`)).ok) break;
			} catch {
				// not listening yet
			}
			if (Date.now() > deadline) {
				await stopGroup(child, 5_000);
				throw new Error(
					`verdaccio did not answer ${url}-/ping within 120 s:\n${output.slice(-2000)}`,
				);
			}
			await new Promise((resolve) => setTimeout(resolve, 250));
		}

		// An account through the registry's CouchDB-style user endpoint, as `npm adduser` makes one.
		const user = 'celantur-e2e';
		const response = await fetch(`${url}-/user/org.couchdb.user:${user}`, {
			method: 'PUT',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				_id: `org.couchdb.user:${user}`,
				name: user,
				password: 'celantur-e2e-publisher',
				type: 'user',
				roles: [],
			}),
		});
		const body = (await response.json()) as { token?: string };
		if (!response.ok || !body.token) {
			await stopGroup(child, 5_000);
			throw new Error(
				`verdaccio refused to create a user: ${response.status} ${JSON.stringify(body)}`,
			);
		}
		const npmrc = path.join(folder, '.npmrc');
		writeFileSync(npmrc, `//127.0.0.1:${port}/:_authToken=${body.token}\n`);
		return new LocalRegistry(url, folder, child, npmrc);
	}

	/** `npm publish <tarball>` with the publisher's token. */
	async publish(tarball: string): Promise<void> {
		await mustRun(
			'npm',
			[
				'publish',
				tarball,
				`--registry=${this.url}`,
				`--userconfig=${this.npmrc}`,
				'--ignore-scripts',
				'--access=public',
				'--tag=latest',
			],
			{
				cwd: this.folder,
				env: npmEnv(),
				timeoutMs: 2 * 60_000,
			},
		);
	}

	/** The versions the registry holds for `name`, and its `latest` tag. */
	async versions(name: string): Promise<{ versions: string[]; latest?: string }> {
		const response = await fetch(`${this.url}${name}`);
		if (!response.ok) return { versions: [] };
		const doc = (await response.json()) as {
			versions?: Record<string, unknown>;
			'dist-tags'?: { latest?: string };
		};
		return { versions: Object.keys(doc.versions ?? {}), latest: doc['dist-tags']?.latest };
	}

	async stop(): Promise<void> {
		await stopGroup(this.child, 10_000);
		rmSync(this.folder, { recursive: true, force: true });
	}
}

if (require.main === module) {
	// `ts-node test/e2e/registry.ts`: install verdaccio into the cache (if needed), start, stop.
	(async () => {
		const registry = await LocalRegistry.start();
		console.log(`verdaccio ${VERDACCIO_VERSION} answered at ${registry.url}`);
		await registry.stop();
	})().catch((error: unknown) => {
		console.error(error);
		process.exit(1);
	});
}
