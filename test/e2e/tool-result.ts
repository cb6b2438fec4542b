// Checks of what the Celantur tool hands back to a model or an MCP client (CONTRACT.md, third
// release, "As an AI tool"): for a good link one JSON object, the short form plus a presigned
// `anonymized_url` whose image is the original anonymized; for a bad link an item with `error`
// that names the link without its query string.
import { decodeImage, regionDiff } from '../emulator/images';
import type { AiSetup } from './ai-setup';
import { FAR, inner } from './fixtures';
import type { StepContext } from './reporter';

export type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The tool's output as text (JSON of one object or an array of them) -> its items. */
export function toolItems(text: string | undefined): Json[] | undefined {
	if (text === undefined) return undefined;
	try {
		const parsed = JSON.parse(text) as unknown;
		const list = Array.isArray(parsed) ? parsed : [parsed];
		return list.filter(isObject);
	} catch {
		return undefined;
	}
}

const SHORT_FORM = [
	'task_id',
	'task_status',
	'failure_cause',
	'anonymization_method',
	'create_time',
];

export interface GoodResult {
	taskId: number;
	/** Mean differences inside each object, and in the far strip. */
	objectDiffs: number[];
	farDiff: number;
	expiresIn: number;
}

/** Checks a good link's result and its image; returns the figures, or undefined when unusable. */
export async function checkGoodResult(
	step: StepContext,
	where: string,
	text: string | undefined,
	setup: AiSetup,
	storageOrigin: string,
): Promise<GoodResult | undefined> {
	const items = toolItems(text);
	if (
		!step.check(
			items !== undefined && items.length === 1,
			`${where}: the tool result is not one JSON object: ${String(text).slice(0, 300)}`,
		)
	)
		return undefined;
	const [result] = items ?? [];
	const missing = SHORT_FORM.filter((key) => !(key in result));
	step.check(
		missing.length === 0,
		`${where}: the tool result lacks ${missing.join(', ')}: ${JSON.stringify(result)}`,
	);
	step.check(
		result.error === undefined,
		`${where}: the tool result is an error: ${String(result.error)}`,
	);
	step.check(
		typeof result.task_id === 'number',
		`${where}: task_id is ${JSON.stringify(result.task_id)}, not a number`,
	);
	step.check(
		result.task_status === 'done',
		`${where}: task_status is ${String(result.task_status)}`,
	);
	step.check(
		result.failure_cause === null,
		`${where}: failure_cause is ${JSON.stringify(result.failure_cause)}`,
	);
	const expiresIn = result.anonymized_url_expiration_duration;
	step.check(
		typeof expiresIn === 'number' && expiresIn > 0,
		`${where}: anonymized_url_expiration_duration is ${JSON.stringify(expiresIn)}`,
	);
	step.check(
		!('binary' in result) && !('data' in result),
		`${where}: the tool result carries binary data`,
	);
	const url = result.anonymized_url;
	if (
		!step.check(
			typeof url === 'string' && url.startsWith(`${storageOrigin}/`),
			`${where}: anonymized_url is ${JSON.stringify(url)}, not a link to the emulator's storage`,
		)
	)
		return undefined;
	const response = await fetch(String(url));
	if (!step.check(response.ok, `${where}: downloading anonymized_url answered ${response.status}`))
		return undefined;
	const bytes = Buffer.from(await response.arrayBuffer());
	const decoded = decodeImage(bytes);
	if (
		!step.check(
			decoded.width === setup.image.width && decoded.height === setup.image.height,
			`${where}: the result is ${decoded.width}x${decoded.height}`,
		)
	)
		return undefined;
	const objectDiffs = setup.image.objects.map((object) =>
		regionDiff(setup.original, bytes, inner(object)),
	);
	const farDiff = regionDiff(setup.original, bytes, FAR);
	step.check(
		objectDiffs.every((diff) => diff > 25),
		`${where}: the image behind anonymized_url is not anonymized (object diffs ${objectDiffs.map((d) => d.toFixed(1)).join(', ')})`,
	);
	step.check(
		farDiff < 4,
		`${where}: the image changed far from every object (diff ${farDiff.toFixed(1)})`,
	);
	return { taskId: Number(result.task_id), objectDiffs, farDiff, expiresIn: Number(expiresIn) };
}

/** Checks a bad link's result: one item with `error` naming the link, never its query string. */
export function checkErrorResult(
	step: StepContext,
	where: string,
	text: string | undefined,
	badLink: string,
): string | undefined {
	const items = toolItems(text);
	if (
		!step.check(
			items !== undefined && items.length >= 1,
			`${where}: the tool result is not JSON items: ${String(text).slice(0, 300)}`,
		)
	)
		return undefined;
	const [result] = items ?? [];
	const error = result.error;
	const message =
		typeof error === 'string' ? error : isObject(error) ? JSON.stringify(error) : undefined;
	if (
		!step.check(
			message !== undefined,
			`${where}: the bad link's result has no error: ${JSON.stringify(result)}`,
		)
	)
		return undefined;
	const bare = badLink.split('?')[0];
	step.check(
		message?.includes(bare) === true,
		`${where}: the error does not name the link ${bare}: ${message}`,
	);
	step.check(
		message?.includes('e2e-secret-query') === false,
		`${where}: the error repeats the link's query string: ${message}`,
	);
	step.check(result.task_status !== 'done', `${where}: the bad link's result says done`);
	return message;
}
