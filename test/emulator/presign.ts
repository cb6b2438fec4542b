import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { amzDate, parseAmzDate } from './clock';

export type PresignCheck =
	{ ok: true } | { ok: false; status: number; code: string; message: string };

const REGION = 'eu-central-1';
const ACCESS_KEY = 'ASIAEMULATOR0000KEY0';

/**
 * S3-style query-string signatures. The signature covers the method, the path and every other
 * query parameter, so a URL signed for PUT does not work for GET, and editing `X-Amz-Expires`
 * breaks it, as with S3.
 */
export class Presigner {
	private readonly secret = randomBytes(32);
	private readonly securityToken = randomBytes(48).toString('base64');

	/** Set once the storage server listens. */
	origin = '';

	/** `now`: the emulator's clock, which dates the URLs it signs. */
	constructor(private readonly now: () => number) {}

	sign(method: string, path: string, expiresSeconds: number, now = this.now()): string {
		const date = amzDate(now);
		const params = new URLSearchParams();
		params.set('X-Amz-Algorithm', 'AWS4-HMAC-SHA256');
		params.set('X-Amz-Credential', `${ACCESS_KEY}/${date.slice(0, 8)}/${REGION}/s3/aws4_request`);
		params.set('X-Amz-Date', date);
		params.set('X-Amz-Expires', String(expiresSeconds));
		params.set('X-Amz-SignedHeaders', 'host');
		params.set('X-Amz-Security-Token', this.securityToken);
		params.set('X-Amz-Signature', this.signature(method, path, params));
		return `${this.origin}${path}?${params.toString()}`;
	}

	verify(method: string, path: string, params: URLSearchParams, now: number): PresignCheck {
		const given = params.get('X-Amz-Signature');
		const date = params.get('X-Amz-Date');
		const expires = params.get('X-Amz-Expires');
		if (
			!given ||
			!date ||
			!expires ||
			!params.get('X-Amz-Algorithm') ||
			!params.get('X-Amz-Credential')
		) {
			return { ok: false, status: 403, code: 'AccessDenied', message: 'Access Denied' };
		}
		const expected = Buffer.from(this.signature(method, path, params), 'utf8');
		const actual = Buffer.from(given, 'utf8');
		if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
			return {
				ok: false,
				status: 403,
				code: 'SignatureDoesNotMatch',
				message:
					'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
			};
		}
		const issued = parseAmzDate(date);
		const lifetime = Number(expires);
		if (issued === undefined || !Number.isInteger(lifetime) || now > issued + lifetime * 1000) {
			return { ok: false, status: 403, code: 'AccessDenied', message: 'Request has expired' };
		}
		return { ok: true };
	}

	private signature(method: string, path: string, params: URLSearchParams): string {
		const canonical = [...params.entries()]
			.filter(([name]) => name !== 'X-Amz-Signature')
			.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
			.sort()
			.join('&');
		return createHmac('sha256', this.secret)
			.update(`${method}\n${path}\n${canonical}`)
			.digest('hex');
	}
}
