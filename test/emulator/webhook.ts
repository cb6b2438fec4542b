import { Agent, request } from 'undici';

export interface DeliveryOutcome {
	status?: number;
	/** The receiver's answer, cut to 1000 characters. */
	response?: string;
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
			const text = await response.body.text();
			return { status: response.statusCode, response: text.slice(0, 1000) };
		} catch (error) {
			return { error: (error as Error).message };
		}
	}

	async close(): Promise<void> {
		await this.agent.destroy();
	}
}
