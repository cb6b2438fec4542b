// The servers n8n's queue mode needs, from Debian's packages: PostgreSQL (workflows, credentials,
// executions, static data, binary data) and Redis (the Bull queue). Each is installed with apt-get
// when missing, started by the test in a temp folder on a free loopback port, and stopped after.
import { type ChildProcess, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { freePort } from './ports';
import { mustRun, runCommand, stopGroup, sweepGroup } from './processes';

export interface Service {
	port: number;
	stop(): Promise<void>;
}

/** Installs Debian packages whose marker file is missing; returns the packages it installed. */
export async function ensureDebianPackages(
	wanted: Array<{ file: string; pkg: string }>,
): Promise<string[]> {
	const missing = wanted.filter((entry) => !existsSync(entry.file)).map((entry) => entry.pkg);
	if (missing.length === 0) return [];
	if (process.getuid?.() !== 0)
		throw new Error(
			`missing ${missing.join(', ')}; install with: sudo apt-get install -y ${missing.join(' ')}`,
		);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	await mustRun('apt-get', ['update'], { env, timeoutMs: 10 * 60_000 });
	await mustRun('apt-get', ['install', '-y', '--no-install-recommends', ...missing], {
		env,
		timeoutMs: 20 * 60_000,
	});
	return missing;
}

function postgresBin(): string {
	const root = '/usr/lib/postgresql';
	const versions = existsSync(root)
		? readdirSync(root)
				.filter((name) => /^\d+$/.test(name))
				.sort((a, b) => Number(b) - Number(a))
		: [];
	if (versions.length === 0) throw new Error(`no PostgreSQL server under ${root}`);
	return path.join(root, versions[0], 'bin');
}

async function waitUntil(
	what: string,
	timeoutMs: number,
	probe: () => Promise<boolean>,
	child: ChildProcess,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null || child.signalCode !== null)
			throw new Error(`${what} exited during start-up`);
		if (await probe()) return;
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	throw new Error(`${what} did not start within ${timeoutMs / 1000} s`);
}

function serve(command: string, args: string[], logFile: string): ChildProcess {
	// Detached, so that stopping it takes its whole process group; output goes to its own log.
	return spawn('sh', ['-c', `exec "$0" "$@" >>"${logFile}" 2>&1`, command, ...args], {
		stdio: 'ignore',
		detached: true,
	});
}

async function stopped(child: ChildProcess): Promise<void> {
	await stopGroup(child, 15_000);
	if (child.pid !== undefined) sweepGroup(child.pid);
}

export interface Postgres extends Service {
	user: string;
	database: string;
	/** Runs SQL with psql; returns its unaligned, tuples-only output. */
	query(sql: string): Promise<string>;
}

/**
 * A throwaway PostgreSQL cluster. initdb and postgres refuse to run as root, so they run as the
 * package's `postgres` user, in a temp folder of its own that user owns (the caller's temp folders
 * are private to root); clients connect over loopback, trusted. Its log is copied to `logDir`.
 */
export async function startPostgres(logDir: string): Promise<Postgres> {
	const bin = postgresBin();
	const dir = mkdtempSync(path.join(tmpdir(), 'celantur-pg-'));
	const data = path.join(dir, 'pgdata');
	mkdirSync(data, { recursive: true });
	const asRoot = process.getuid?.() === 0;
	const runAs = asRoot ? ['runuser', '-u', 'postgres', '--'] : [];
	if (asRoot) {
		const uid = Number((await mustRun('id', ['-u', 'postgres'])).stdout.trim());
		const gid = Number((await mustRun('id', ['-g', 'postgres'])).stdout.trim());
		chownSync(dir, uid, gid);
		chownSync(data, uid, gid);
	}
	const user = 'n8n';
	const [initCommand, ...initPrefix] = [...runAs, path.join(bin, 'initdb')];
	await mustRun(
		initCommand,
		[...initPrefix, '-D', data, '-U', user, '-A', 'trust', '--no-sync', '-E', 'UTF8'],
		{ timeoutMs: 120_000 },
	);
	const port = await freePort();
	const [command, ...prefix] = [...runAs, path.join(bin, 'postgres')];
	mkdirSync(logDir, { recursive: true });
	const child = serve(
		command,
		[
			...prefix,
			'-D',
			data,
			'-p',
			String(port),
			'-h',
			'127.0.0.1',
			'-k',
			dir,
			'-c',
			'fsync=off',
			'-c',
			'max_connections=200',
		],
		path.join(logDir, 'postgres.log'),
	);
	const psql = (database: string, sql: string) =>
		runCommand(
			'psql',
			[
				'-h',
				'127.0.0.1',
				'-p',
				String(port),
				'-U',
				user,
				'-d',
				database,
				'-v',
				'ON_ERROR_STOP=1',
				'-At',
				'-c',
				sql,
			],
			{ timeoutMs: 30_000 },
		);
	await waitUntil(
		'PostgreSQL',
		60_000,
		async () => (await psql('postgres', 'select 1')).code === 0,
		child,
	);
	const database = 'n8n';
	await mustRun('psql', [
		'-h',
		'127.0.0.1',
		'-p',
		String(port),
		'-U',
		user,
		'-d',
		'postgres',
		'-c',
		`create database ${database}`,
	]);
	return {
		port,
		user,
		database,
		query: async (sql) => {
			const result = await psql(database, sql);
			if (result.code !== 0) throw new Error(`psql failed: ${result.stderr.trim()}`);
			return result.stdout.trim();
		},
		stop: async () => {
			await stopped(child);
			rmSync(dir, { recursive: true, force: true });
		},
	};
}

/** A throwaway Redis with no persistence. */
export async function startRedis(dir: string): Promise<Service> {
	mkdirSync(dir, { recursive: true });
	const port = await freePort();
	const child = serve(
		'redis-server',
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			dir,
		],
		path.join(dir, 'redis.log'),
	);
	await waitUntil(
		'Redis',
		30_000,
		async () =>
			(
				await runCommand('redis-cli', ['-p', String(port), 'ping'], { timeoutMs: 5000 })
			).stdout.trim() === 'PONG',
		child,
	);
	return { port, stop: () => stopped(child) };
}
