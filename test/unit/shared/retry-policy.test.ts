// One retry policy and one table of network codes, for the nodes' requests and the credential's
// sign-in alike: what is retried, how often, and how each code is worded.
import type { IHttpRequestHelper } from 'n8n-workflow';

import { CelanturApi } from '../../../credentials/CelanturApi.credentials';
import { NETWORK_CODES, networkWords } from '../../../nodes/shared/api-errors';
import { API_RETRY_POLICY, isRetryable, SIGN_IN_RETRY_POLICY } from '../../../nodes/shared/retry';

describe('the network-code table', () => {
	it('retries transient codes on requests safe to repeat, and only a refused connection on a create', () => {
		for (const [code, { transient }] of Object.entries(NETWORK_CODES)) {
			expect([code, isRetryable({ code, texts: [] }, true)]).toEqual([code, transient]);
			expect([code, isRetryable({ code, texts: [] }, false)]).toEqual([
				code,
				code === 'ECONNREFUSED',
			]);
			expect(networkWords(code)).not.toMatch(/^E[A-Z]/);
		}
	});

	it('does not retry a host that does not exist, nor a failure without a code', () => {
		expect(isRetryable({ code: 'ENOTFOUND', texts: [] }, true)).toBe(false);
		expect(isRetryable({ texts: [] }, true)).toBe(false);
		expect(isRetryable({ code: 'EAI_AGAIN', texts: [] }, true)).toBe(true);
	});

	it('gives the sign-in fewer and shorter tries than the requests', () => {
		expect(SIGN_IN_RETRY_POLICY.attempts).toBe(3);
		expect(SIGN_IN_RETRY_POLICY.attempts).toBeLessThan(API_RETRY_POLICY.attempts);
		expect(SIGN_IN_RETRY_POLICY.maxDelayMs).toBeLessThan(API_RETRY_POLICY.maxDelayMs);
	});
});

describe('the credential’s sign-in through the same policy', () => {
	const data = { email: 'ops@example.com', password: 'pw', baseUrl: 'https://api.example.test/v2' };
	const failing = (failure: object, calls: { count: number }): IHttpRequestHelper => ({
		helpers: {
			httpRequest: (async () => {
				calls.count++;
				return await Promise.reject(Object.assign(new Error('failed'), failure));
			}) as IHttpRequestHelper['helpers']['httpRequest'],
		},
	});

	it('tries a busy service three times, then names the status', async () => {
		const calls = { count: 0 };
		const started = Date.now();
		await expect(
			new CelanturApi().preAuthentication.call(failing({ response: { status: 503 } }, calls), data),
		).rejects.toThrow(
			'Celantur sign-in failed: https://api.example.test/v2/signin answered HTTP 503',
		);
		expect(calls.count).toBe(3);
		// Two pauses, each at least half its ceiling (1 s, then 2 s).
		expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
	}, 15_000);

	it('tries an unknown host once', async () => {
		const calls = { count: 0 };
		await expect(
			new CelanturApi().preAuthentication.call(failing({ code: 'ENOTFOUND' }, calls), data),
		).rejects.toThrow('could not reach https://api.example.test/v2/signin (host not found)');
		expect(calls.count).toBe(1);
	});
});
