// Child processes of the e2e run: commands run to completion with captured output, and
// long-running servers in their own process group, so stopping one also stops its children.
import { spawn, type ChildProcess } from 'node:child_process';

export interface CommandResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	ms: number;
}

export interface CommandOptions {
	cwd?: string;
	env?: NodeJS.ProcessEnv;
	timeoutMs?: number;
	/** Echo the command's stderr to this process's stderr as it comes (progress of long installs). */
	echo?: boolean;
}

/** Runs a command to its end. Never rejects on a non-zero exit: the caller reads `code`. */
export function runCommand(
	command: string,
	args: string[],
	options: CommandOptions = {},
): Promise<CommandResult> {
	const started = Date.now();
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, {
			cwd: options.cwd,
			env: options.env ?? process.env,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		const out: Buffer[] = [];
		const err: Buffer[] = [];
		child.stdout.on('data', (chunk: Buffer) => {
			out.push(chunk);
		});
		child.stderr.on('data', (chunk: Buffer) => {
			err.push(chunk);
			if (options.echo) process.stderr.write(chunk);
		});
		let timer: NodeJS.Timeout | undefined;
		if (options.timeoutMs) {
			timer = setTimeout(() => {
				killGroup(child, 'SIGKILL');
				err.push(Buffer.from(`\n[e2e] killed after ${options.timeoutMs} ms\n`));
			}, options.timeoutMs);
		}
		child.on('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			resolve({
				code,
				signal,
				stdout: Buffer.concat(out).toString('utf8'),
				stderr: Buffer.concat(err).toString('utf8'),
				ms: Date.now() - started,
			});
		});
	});
}

/** Runs a command and throws with its output when it does not exit 0. */
export async function mustRun(
	command: string,
	args: string[],
	options: CommandOptions = {},
): Promise<CommandResult> {
	const result = await runCommand(command, args, options);
	if (result.code !== 0) {
		const output = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-25).join('\n');
		throw new Error(
			`${command} ${args.join(' ')} exited with ${result.code ?? result.signal}:\n${output}`,
		);
	}
	return result;
}

/** Signals the child's whole process group (it was spawned detached, so it leads one). */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		try {
			child.kill(signal);
		} catch {
			// already gone
		}
	}
}

/** Stops a detached child: SIGTERM to its group, then SIGKILL after `graceMs`. */
export async function stopGroup(child: ChildProcess, graceMs: number): Promise<void> {
	if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	killGroup(child, 'SIGTERM');
	const timer = new Promise<'timeout'>((resolve) =>
		setTimeout(() => resolve('timeout'), graceMs).unref(),
	);
	if ((await Promise.race([exited, timer])) === 'timeout') {
		killGroup(child, 'SIGKILL');
		await exited;
	}
	// The group may outlive its leader (a task runner that ignored SIGTERM): make sure.
	sweepGroup(child.pid);
}

/** SIGKILL to whatever is left of a process group this run started. */
export function sweepGroup(pid: number): void {
	try {
		process.kill(-pid, 'SIGKILL');
	} catch {
		// the group is empty
	}
}
