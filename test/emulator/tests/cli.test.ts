// The emulator's command line: `npm run emulator -- --port 8787`.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DEFAULT_USER } from '../index';
import { parseArgs } from '../cli';
import { http, obj } from '../testkit';

describe('emulator CLI', () => {
	it('parses its options', () => {
		expect(parseArgs([])).toEqual({ port: 8787, storagePort: 8788, latency: {} });
		expect(
			parseArgs([
				'--port',
				'9000',
				'--latency-ms',
				'25',
				'--token-lifetime',
				'60',
				'--user',
				'a@b.c:p:w',
			]),
		).toEqual({
			port: 9000,
			storagePort: 9001,
			tokenLifetimeSeconds: 60,
			users: [{ username: 'a@b.c', password: 'p:w' }],
			latency: { signinMs: 25, createMs: 25, requestMs: 25, uploadMs: 25, downloadMs: 25 },
		});
		expect(
			parseArgs(['--port', '0', '--queued-ms', '5', '--processing-ms', '7', '--host', '0.0.0.0']),
		).toEqual({
			port: 0,
			host: '0.0.0.0',
			latency: { queuedMs: 5, processingMs: 7 },
		});
		expect(() => parseArgs(['--port'])).toThrow('--port needs a non-negative number');
		expect(() => parseArgs(['--latency-ms', 'fast'])).toThrow(
			'--latency-ms needs a non-negative number',
		);
		expect(() => parseArgs(['--user', 'nocolon'])).toThrow('--user needs EMAIL:PASSWORD');
		expect(() => parseArgs(['--bogus'])).toThrow('unknown option --bogus');
	});

	it('starts, prints the base URL and the sign-in user, serves, and stops on Ctrl-C', async () => {
		const root = join(__dirname, '..', '..', '..');
		const child = spawn(
			process.execPath,
			[
				require.resolve('ts-node/dist/bin.js'),
				'--transpile-only',
				'test/emulator/cli.ts',
				'--port',
				'0',
				'--token-lifetime',
				'120',
				'--latency-ms',
				'5',
			],
			{ cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
		);
		try {
			let output = '';
			// Starting ts-node takes what the machine gives it: wait for the line itself (or an early
			// exit), not a deadline; jest's timeout catches a child that hangs.
			const baseUrl = await new Promise<string>((resolve, reject) => {
				child.stdout.on('data', (chunk: Buffer) => {
					output += chunk.toString('utf8');
					const match = /base URL:\s+(\S+)/.exec(output);
					if (match && output.includes('Ctrl-C')) resolve(match[1]);
				});
				child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
				child.on('exit', (code) => reject(new Error(`exited early (${code}): ${output}`)));
			});
			expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v2$/);
			expect(output).toContain(`${DEFAULT_USER.username} / ${DEFAULT_USER.password}`);
			expect(output).toMatch(/storage origin:\s+http:\/\/127\.0\.0\.1:\d+/);
			const signIn = await http('POST', `${baseUrl}/signin`, { body: DEFAULT_USER });
			expect(signIn.status).toBe(200);
			expect(obj(signIn.json).ExpiresIn).toBe(120);
			const exited = new Promise<number | null>((resolve) =>
				child.on('exit', (code) => resolve(code)),
			);
			child.kill('SIGINT');
			expect(await exited).toBe(0);
		} finally {
			if (child.exitCode === null) child.kill('SIGKILL');
		}
	});
});
