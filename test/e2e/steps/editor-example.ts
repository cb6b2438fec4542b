// Part of step 5: the example imported in step 2 (with a text file among the images), run from the
// editor as a user would. The canvas shows readable subtitles and the failed file on its own branch;
// the Anonymize node's output panel shows the simplified JSON and the images before and after.
import type { Locator, Page } from 'playwright-core';

import type { E2eContext } from '../context';
import { FOLDER_WORKFLOW_ID } from '../fixtures';
import type { StepContext } from '../reporter';
import { byTestId, type Shoot } from './editor-page';

/** What Simplify must show, and what it must leave out (settings, presigned links). */
const SIMPLIFIED_FIELDS = [
	'task_id',
	'task_status',
	'failure_cause',
	'anonymization_method',
	'objects',
	'create_time',
	'output_file_name',
	'detections',
];
const RAW_ONLY_FIELDS = ['customer_id', 'kernel_size_face', 'anonymized_url', 'X-Amz'];

/**
 * The element's text once it shows every one of `expected`, or as it is after 15 s. The JSON view
 * renders in pieces after the switch (1.123 once showed `task_id` before the fields after it).
 */
async function renderedText(element: Locator, expected: string[]): Promise<string> {
	const deadline = Date.now() + 15_000;
	for (;;) {
		const text = await element.innerText().catch(() => '');
		if (expected.every((part) => text.includes(part)) || Date.now() > deadline) return text;
		await element.page().waitForTimeout(250);
	}
}

export async function checkExampleInEditor(
	ctx: E2eContext,
	page: Page,
	step: StepContext,
	shoot: Shoot,
): Promise<void> {
	const node = (name: string) =>
		page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`);
	await page.goto(`${ctx.n8n.baseUrl}/workflow/${FOLDER_WORKFLOW_ID}`);
	await node('Anonymize').waitFor();
	const subtitle = (await node('Anonymize').innerText()).replace(/\s+/g, ' ').trim();
	step.figure('canvas subtitle', subtitle);
	step.check(
		subtitle.includes('Anonymize an image') && !/\bcreate\b/.test(subtitle),
		`the Anonymize node's subtitle reads "${subtitle}"`,
	);

	await byTestId(page, 'execute-workflow-button').click();
	const succeeded = async (name: string): Promise<boolean> =>
		await node(name)
			.locator('[data-test-id="canvas-node-status-success"]')
			.waitFor({ timeout: 120_000 })
			.then(() => true)
			.catch(() => false);
	step.check(
		await succeeded('Write anonymized images'),
		'the good images were not written from the editor',
	);
	step.check(
		await succeeded('Write failed list'),
		'the failed file did not reach "Write failed list" on its own branch',
	);
	step.check(
		(await page.locator('[data-test-id="canvas-node-status-error"]').count()) === 0,
		'a node of the example shows an error',
	);
	await page.waitForLoadState('networkidle');
	await shoot('example-run.png');

	await node('Anonymize').dblclick();
	const output = byTestId(page, 'output-panel');
	await output.locator('[data-test-id="radio-button-json"]').click();
	const json = await renderedText(
		output.locator('[data-test-id="ndv-data-container"]'),
		SIMPLIFIED_FIELDS.map((field) => `"${field}"`),
	);
	const missing = SIMPLIFIED_FIELDS.filter((field) => !json.includes(`"${field}"`));
	const leaked = RAW_ONLY_FIELDS.filter((field) => json.includes(field));
	step.figure('output fields', SIMPLIFIED_FIELDS.length - missing.length);
	step.check(missing.length === 0, `the simplified output lacks ${missing.join(', ')}`);
	step.check(leaked.length === 0, `the simplified output shows ${leaked.join(', ')}`);
	await shoot('output-simplified.png');

	// Before (input panel) and after (output panel): the first image and its anonymized copy.
	await output.locator('[data-test-id="radio-button-binary"]').click();
	await output
		.locator('[data-test-id="ndv-binary-data_0"] [data-test-id="ndv-view-binary-data"]')
		.nth(1)
		.click();
	const input = byTestId(page, 'ndv-input-panel');
	await input.locator('[data-test-id="radio-button-binary"]').click();
	await input.locator('[data-test-id="ndv-view-binary-data"]').first().click();
	const previews = page.locator('[data-test-id="ndv"] img');
	await previews.nth(1).waitFor();
	await page.waitForLoadState('networkidle');
	step.figure('image previews', await previews.count());
	await shoot('output-binary-preview.png');
}
