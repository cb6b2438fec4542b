// One real n8n: a throwaway user folder, loopback only, no telemetry, JSON logs. `start()` runs
// `n8n start`; `cli()` runs another n8n command (import, execute, ...) against the same folder.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { freePort } from './ports';
import { runCommand, stopGroup, sweepGroup, type CommandResult } from './processes';

export interface N8nInstanceOptions {
	/** n8n's bin/n8n script. */
	binary: string;
	/** The folder of the `node` executable this n8n version runs on (each has its own). */
	nodeBin: string;
	/** N8N_USER_FOLDER: n8n keeps its database, config and community packages in `<it>/.n8n`. */
	userFolder: string;
	port: number;
	/** Folders the Read/Write Files node may use (N8N_RESTRICT_FILE_ACCESS_TO). */
	fileAccess: string[];
	/** The server's output, one JSON log entry a line. */
	logFile: string;
	logLevel?: 'error' | 'warn' | 'info' | 'debug';
	env?: Record<string, string>;
	/** Which n8n process: the main one (editor, API), a queue-mode worker, or a webhook processor. */
	command?: N8nCommand;
	/** Extra arguments, e.g. `--concurrency=10` for a worker. */
	args?: string[];
}

export type N8nCommand = 'start' | 'worker' | 'webhook';

/** What each kind of process logs once it serves. */
const READY: Record<N8nCommand, string> = {
	start: 'Editor is now accessible via',
	worker: 'n8n worker is now ready',
	webhook: 'Webhook listener waiting for requests',
};

export interface LogEntry {
	level: string;
	message: string;
	metadata: Record<string, unknown>;
	/** The raw line, for lines that are not n8n's JSON logs (a child's console output). */
	raw: string;
}

/** Variables of the caller's environment that would change what n8n does: never passed on. */
const FOREIGN_ENV =
	/^(N8N_|DB_|EXECUTIONS_|QUEUE_|WEBHOOK_URL$|GENERIC_TIMEZONE$|NODES_|CREDENTIALS_|(HTTPS?|ALL|NO)_PROXY$)/i;

export class N8nInstance {
	readonly baseUrl: string;
	private child?: ChildProcess;
	private output = '';
	private exited?: { code: number | null; signal: NodeJS.Signals | null };

	constructor(readonly options: N8nInstanceOptions) {
		this.baseUrl = `http://127.0.0.1:${options.port}`;
		writeFileSync(options.logFile, '');
	}

	/** The environment of every n8n process of this instance; each gets its own task broker port. */
	env(brokerPort: number, logLevel = this.options.logLevel ?? 'debug'): NodeJS.ProcessEnv {
		const env: NodeJS.ProcessEnv = {};
		for (const [key, value] of Object.entries(process.env))
			if (!FOREIGN_ENV.test(key)) env[key] = value;
		return {
			...env,
			// n8n's own child processes (task runners) take `node` from PATH: the same Node.js.
			PATH: `${this.options.nodeBin}${path.delimiter}${env.PATH ?? ''}`,
			N8N_USER_FOLDER: this.options.userFolder,
			N8N_PORT: String(this.options.port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			WEBHOOK_URL: `${this.baseUrl}/`,
			N8N_EDITOR_BASE_URL: `${this.baseUrl}/`,
			NO_PROXY: '127.0.0.1,localhost',
			// Task runners are always on in n8n 2 (internal mode): each process needs its own broker port.
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_DYNAMIC_BANNERS_ENABLED: 'false',
			N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
			N8N_PUBLIC_API_DISABLED: 'true',
			N8N_SECURE_COOKIE: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
			N8N_RESTRICT_FILE_ACCESS_TO: this.options.fileAccess.join(';'),
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			N8N_REINSTALL_MISSING_PACKAGES: 'false',
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
			GENERIC_TIMEZONE: 'UTC',
			N8N_LOG_OUTPUT: 'console',
			N8N_LOG_FORMAT: 'json',
			N8N_LOG_LEVEL: logLevel,
			...this.options.env,
		};
	}

	/** `n8n start` (or worker/webhook); resolves once it serves, rejects if it exits or is not up in time. */
	async start(timeoutMs = 120_000): Promise<void> {
		const brokerPort = await freePort();
		const command = this.options.command ?? 'start';
		const child = spawn(this.node, [this.options.binary, command, ...(this.options.args ?? [])], {
			env: this.env(brokerPort),
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		this.child = child;
		// n8n runs in its own process group (so a terminal's Ctrl-C reaches only this script, which
		// stops n8n in order): if this script dies without stopping it, take the group down too.
		const pid = child.pid;
		const onExit = (): void => {
			if (pid !== undefined) sweepGroup(pid);
		};
		process.once('exit', onExit);
		child.once('exit', () => process.off('exit', onExit));
		const collect = (chunk: Buffer): void => {
			const text = chunk.toString('utf8');
			this.output += text;
			appendFileSync(this.options.logFile, text);
		};
		child.stdout?.on('data', collect);
		child.stderr?.on('data', collect);
		child.on('exit', (code, signal) => {
			this.exited = { code, signal };
		});

		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (this.exited)
				throw new Error(
					`n8n exited during start-up (${this.exited.code ?? this.exited.signal}); log: ${this.options.logFile}`,
				);
			const ready = this.logs().some((entry) => entry.message.includes(READY[command]));
			if (ready && (command !== 'start' || (await this.healthy()))) return;
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
		throw new Error(
			`n8n ${command} did not come up within ${timeoutMs / 1000} s; log: ${this.options.logFile}`,
		);
	}

	private get node(): string {
		return path.join(this.options.nodeBin, 'node');
	}

	get running(): boolean {
		return this.child !== undefined && this.exited === undefined;
	}

	private async healthy(): Promise<boolean> {
		try {
			const response = await fetch(`${this.baseUrl}/healthz/readiness`);
			return response.ok;
		} catch {
			return false;
		}
	}

	/** Everything `n8n start` has logged so far. */
	logs(): LogEntry[] {
		return parseLogs(this.output);
	}

	/** Runs `n8n <args>` on the same user folder (while the server runs or not). */
	async cli(
		args: string[],
		timeoutMs = 180_000,
		logLevel: 'error' | 'warn' | 'info' | 'debug' = 'info',
	): Promise<CommandResult> {
		const brokerPort = await freePort();
		const result = await runCommand(this.node, [this.options.binary, ...args], {
			env: this.env(brokerPort, logLevel),
			timeoutMs,
		});
		appendFileSync(
			this.options.logFile,
			`\n[e2e] n8n ${args.join(' ')} -> ${result.code}\n${result.stdout}${result.stderr}\n`,
		);
		return result;
	}

	/** `n8n <args>`, throwing unless it exits 0 and logged `expect`. */
	async mustCli(args: string[], expect: RegExp, timeoutMs?: number): Promise<CommandResult> {
		const result = await this.cli(args, timeoutMs);
		const text = `${result.stdout}\n${result.stderr}`;
		if (result.code !== 0 || !expect.test(text)) {
			const messages = parseLogs(text)
				.map((entry) => entry.message || entry.raw)
				.slice(-15)
				.join('\n');
			throw new Error(
				`n8n ${args.join(' ')} exited ${result.code ?? result.signal} without /${expect.source}/:\n${messages}`,
			);
		}
		return result;
	}

	async stop(): Promise<void> {
		const child = this.child;
		if (!child) return;
		await stopGroup(child, 20_000);
		if (child.pid !== undefined) sweepGroup(child.pid);
	}
}

/** n8n's JSON log lines; other lines are kept as `raw` with level "raw". */
export function parseLogs(text: string): LogEntry[] {
	const entries: LogEntry[] = [];
	for (const line of text.split('\n')) {
		if (!line.trim()) continue;
		try {
			const parsed = JSON.parse(line) as Partial<LogEntry>;
			if (typeof parsed === 'object' && parsed !== null && typeof parsed.level === 'string') {
				entries.push({
					level: parsed.level,
					message:
						typeof parsed.message === 'string' ? parsed.message : JSON.stringify(parsed.message),
					metadata: (parsed.metadata as Record<string, unknown> | undefined) ?? {},
					raw: line,
				});
				continue;
			}
		} catch {
			// not JSON
		}
		entries.push({ level: 'raw', message: '', metadata: {}, raw: line });
	}
	return entries;
}
