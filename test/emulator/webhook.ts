import { Agent, request } from 'undici';

export interface DeliveryOutcome {
	status?: number;
	error?: string;
}

/**
 * Celantur's callback: one POST, JSON, no signature, no retries. Its own dispatcher so that
 * close() can drop connections to receivers that never answer.
 */
export class WebhookSender {
	private readonly agent: Agent;

	constructor(private readonly timeoutMs: number) {
		this.agent = new Agent({ connect: { timeout: timeoutMs }, keepAliveTimeout: 1000 });
	}

	async deliver(url: string, body: Record<string, unknown>): Promise<DeliveryOutcome> {
		try {
			const response = await request(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'user-agent': 'celantur-emulator-webhook' },
				body: JSON.stringify(body),
				dispatcher: this.agent,
				headersTimeout: this.timeoutMs,
				bodyTimeout: this.timeoutMs,
			});
			await response.body.dump();
			return { status: response.statusCode };
		} catch (error) {
			return { error: (error as Error).message };
		}
	}

	async close(): Promise<void> {
		await this.agent.destroy();
	}
}
