import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';

import type { ChildReply, ChildRequest } from './emulator-child';

/** The emulator in a child process (emulator-child.ts), so this process's memory is n8n's and the node's. */
export class EmulatorProcess {
	private constructor(
		private readonly child: ChildProcess,
		readonly baseUrl: string,
	) {}

	static async start(processingMs: number): Promise<EmulatorProcess> {
		const child = fork(path.join(__dirname, 'emulator-child.ts'), [], {
			execArgv: ['-r', 'ts-node/register'],
			env: {
				...process.env,
				BENCH_PROCESSING_MS: String(processingMs),
				TS_NODE_PROJECT: path.join(__dirname, '..', 'tsconfig.test.json'),
			},
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		});
		const ready = await new Promise<ChildReply>((resolve, reject) => {
			child.once('message', (message: ChildReply) => resolve(message));
			child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
		});
		if (ready.kind !== 'ready') throw new Error('emulator did not start');
		return new EmulatorProcess(child, ready.baseUrl);
	}

	async ask<K extends ChildReply['kind']>(
		message: ChildRequest,
		kind: K,
	): Promise<Extract<ChildReply, { kind: K }>> {
		const answer = new Promise<ChildReply>((resolve) => this.child.once('message', resolve));
		this.child.send(message);
		const reply = await answer;
		if (reply.kind !== kind) throw new Error(`unexpected reply ${reply.kind}`);
		return reply as Extract<ChildReply, { kind: K }>;
	}

	close(): void {
		this.child.send({ kind: 'close' } satisfies ChildRequest);
	}
}
