import { utcDay } from './days';

/**
 * Checks for values that come from users and expressions. Each returns the cleaned value, or a
 * sentence that completes "… but <sentence>" for an error that names the field.
 */
export type Checked<T> = { ok: true; value: T } | { ok: false; allowed: string };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const refuse = <T>(allowed: string): Checked<T> => ({ ok: false, allowed });

/** Task ids are positive integers below 2^53; they arrive as numbers or as text from expressions. */
export function checkTaskId(value: unknown): Checked<number> {
	const allowed = 'a Celantur task ID is a positive whole number such as 1690264444814157';
	const id =
		typeof value === 'number'
			? value
			: typeof value === 'string' && /^\d+$/.test(value.trim())
				? Number(value.trim())
				: NaN;
	return Number.isSafeInteger(id) && id > 0 ? ok(id) : refuse(allowed);
}

export function checkNumber(
	value: unknown,
	min: number,
	max: number,
	integer = false,
): Checked<number> {
	const range = max === Infinity ? `at least ${min}` : `from ${min} to ${max}`;
	const allowed = `it must be ${integer ? 'a whole number' : 'a number'} ${range}`;
	const number =
		typeof value === 'number'
			? value
			: typeof value === 'string' && value.trim() !== ''
				? Number(value)
				: NaN;
	if (!Number.isFinite(number) || number < min || number > max) return refuse(allowed);
	if (integer && !Number.isInteger(number)) return refuse(allowed);
	return ok(number);
}

export function checkBoolean(value: unknown): Checked<boolean> {
	if (typeof value === 'boolean') return ok(value);
	if (value === 'true' || value === 'false') return ok(value === 'true');
	return refuse('it must be true or false');
}

export function checkChoice<T extends string>(value: unknown, choices: readonly T[]): Checked<T> {
	return typeof value === 'string' && (choices as readonly string[]).includes(value)
		? ok(value as T)
		: refuse(`it must be one of ${choices.map((c) => `"${c}"`).join(', ')}`);
}

export function checkHttpUrl(value: unknown): Checked<string> {
	const allowed = 'it must be a full http:// or https:// URL';
	if (typeof value !== 'string') return refuse(allowed);
	try {
		const url = new URL(value.trim());
		return url.protocol === 'http:' || url.protocol === 'https:'
			? ok(url.toString())
			: refuse(allowed);
	} catch {
		return refuse(allowed);
	}
}

/**
 * A calendar day as the list endpoint wants it (YYYY-MM-DD), from ISO text, an n8n DateTime or a
 * Date. The day written is the day meant: n8n's date picker gives "2024-05-31T00:00:00" with no
 * zone, which read as local time could become the 30th.
 */
export function checkDay(value: unknown): Checked<string> {
	const refused = refuse<string>('it must be a date such as 2024-05-31 or 2024-05-31T12:00:00Z');
	let day: string | undefined;
	if (typeof value === 'string') day = /^(\d{4}-\d{2}-\d{2})(?:$|[T ])/.exec(value.trim())?.[1];
	else if (value instanceof Date)
		day = Number.isNaN(value.getTime()) ? undefined : utcDay(value.getTime());
	else if (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as { toISODate?: unknown }).toISODate === 'function'
	) {
		day = String((value as { toISODate: () => string | null }).toISODate());
	}
	if (!day) return refused;
	const [year, month, date] = day.split('-').map(Number);
	const check = new Date(Date.UTC(year, month - 1, date));
	const real =
		check.getUTCFullYear() === year &&
		check.getUTCMonth() === month - 1 &&
		check.getUTCDate() === date;
	return real ? ok(day) : refused;
}
