// Step 5: the editor in headless Chromium, as a user meets the package: sign in, new workflow,
// node panel, search "Celantur" (the trigger listed by its own name), pick the node, pick
// "Anonymize an image", see its parameters and its settings grouped in three collections; then the
// imported example run from the editor (see editor-example.ts). Screenshots go to docs/screenshots/.
import { statSync } from 'node:fs';
import path from 'node:path';

import type { Page } from 'playwright-core';

import { ensureChromium, launchChromium } from '../browser';
import type { E2eContext } from '../context';
import { CREDENTIAL } from '../fixtures';
import type { StepContext } from '../reporter';
import { E2E_OWNER } from '../rest-client';
import { checkExampleInEditor } from './editor-example';
import { byTestId, type Shoot } from './editor-page';

const MAX_SCREENSHOT_BYTES = 300 * 1024;
/** The create operation's own parameters, in the order the editor shows them. */
const CREATE_PARAMETERS = [
	'binaryPropertyName',
	'anonymizationMethod',
	'objects',
	'waitForCompletion',
	'downloadResult',
];

/** The trigger's entry in the node panel: its own event name, not n8n's generic "On new Celantur event". */
const TRIGGER_ACTION = 'When an image is anonymized (task done)';
/** The create settings' collections, as CONTRACT.md groups them, in the order the editor shows them. */
const COLLECTIONS = ['Options', 'Output Settings', 'Detection Settings'];

export async function captureEditor(ctx: E2eContext, step: StepContext): Promise<void> {
	const installedNow = await ensureChromium();
	if (installedNow) step.figure('chromium', 'installed with apt-get');
	const browser = await launchChromium();
	try {
		const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
		page.setDefaultTimeout(30_000);
		const failedAssets: string[] = [];
		page.on('response', (response) => {
			const url = new URL(response.url());
			if (response.status() >= 400 && /^\/(icons|types|assets)\//.test(url.pathname))
				failedAssets.push(`${response.status()} ${url.pathname}`);
		});
		const shoot: Shoot = async (name) => {
			const file = path.join(ctx.screenshotDir, name);
			await page.screenshot({ path: file });
			const bytes = statSync(file).size;
			step.figure(name, `${Math.round(bytes / 1024)} KB`);
			step.check(
				bytes < MAX_SCREENSHOT_BYTES,
				`${name} is ${bytes} bytes (limit ${MAX_SCREENSHOT_BYTES})`,
			);
		};

		await page.goto(`${ctx.n8n.baseUrl}/signin`);
		await page.locator('[data-test-id="emailOrLdapLoginId"] input').fill(E2E_OWNER.email);
		await page.locator('[data-test-id="password"] input').fill(E2E_OWNER.password);
		await byTestId(page, 'form-submit-button').click();
		await page.waitForURL((url) => !url.pathname.startsWith('/signin'));

		await page.goto(`${ctx.n8n.baseUrl}/workflow/new`);
		await byTestId(page, 'canvas-add-button').waitFor();
		await byTestId(page, 'node-creator-plus-button').click();
		await byTestId(page, 'node-creator-search-bar').waitFor();
		await page.keyboard.type('Celantur');
		const found = byTestId(page, 'node-creator-item-name').filter({ hasText: /^Celantur$/ });
		await found.first().waitFor();
		const results = await byTestId(page, 'node-creator-item-name').allInnerTexts();
		step.figure('search results', results.join(' | '));
		await page.waitForLoadState('networkidle');
		await shoot('node-panel-search.png');

		await found.first().click();
		const actionsHeader = page.getByText(/^Actions \(\d+\)$/);
		await actionsHeader.waitFor();
		const anonymize = byTestId(page, 'node-creator-item-name').filter({
			hasText: 'Anonymize an image',
		});
		if (!(await anonymize.isVisible())) await actionsHeader.click();
		await anonymize.waitFor();
		const actions = await page
			.locator('[data-test-id="node-creator"] [data-test-id="node-creator-item-name"]')
			.allInnerTexts();
		step.figure('actions', actions.length);
		step.check(
			actions.length === 9,
			`the panel lists ${actions.length} triggers and actions, expected 1 trigger + 8 operations: ${actions.join(' | ')}`,
		);
		step.check(
			actions.includes(TRIGGER_ACTION),
			`the trigger is not listed as "${TRIGGER_ACTION}": ${actions.join(' | ')}`,
		);
		step.check(
			!actions.some((action) => /On new .* event/i.test(action)),
			`the trigger is listed by n8n's generic name: ${actions.join(' | ')}`,
		);
		await shoot('node-panel-actions.png');

		await anonymize.click();
		await byTestId(page, 'node-parameters').waitFor();
		await byTestId(page, 'node-creator').waitFor({ state: 'detached' });
		await byTestId(page, 'parameter-input-downloadResult').waitFor();
		const operation = await byTestId(page, 'parameter-input-operation')
			.locator('input')
			.inputValue();
		step.figure('operation', operation);
		step.check(operation === 'Create', `the operation shown is "${operation}", not Create`);
		for (const name of CREATE_PARAMETERS) {
			step.check(
				await byTestId(page, `parameter-input-${name}`).isVisible(),
				`parameter ${name} is not shown`,
			);
		}
		const credential = await byTestId(page, 'node-credentials-select')
			.locator('input')
			.inputValue();
		step.figure('credential', credential);
		step.check(
			credential === CREDENTIAL.name,
			`the credential picked is "${credential}", not "${CREDENTIAL.name}"`,
		);
		await page.waitForLoadState('networkidle');
		await shoot('create-parameters.png');
		await checkGroupedSettings(page, step, shoot);
		await checkExampleInEditor(ctx, page, step, shoot);
		step.check(failedAssets.length === 0, `assets failed to load: ${failedAssets.join(', ')}`);
	} finally {
		await browser.close();
	}
}

/** The three collections are there, and Output Settings offers what the result looks like, not node behaviour. */
async function checkGroupedSettings(page: Page, step: StepContext, shoot: Shoot): Promise<void> {
	const parameters = byTestId(page, 'node-parameters');
	const labels = (await parameters.locator('[data-test-id="parameter-item"]').allInnerTexts()).map(
		(text) => text.split('\n')[0].trim(),
	);
	const shown = COLLECTIONS.filter((name) => labels.includes(name));
	step.figure('collections', shown.join(', '));
	step.check(
		shown.length === COLLECTIONS.length,
		`the create settings are not grouped as ${COLLECTIONS.join(', ')}: ${labels.join(' | ')}`,
	);
	// The collections' "Add ..." pickers, in the order the collections are shown (n8n 1.x draws them otherwise).
	const outputAdd = parameters.locator('[data-test-id="collection-parameter-add"]').nth(1);
	const found = await outputAdd
		.waitFor({ timeout: 5000 })
		.then(() => true)
		.catch(() => false);
	if (!found) {
		step.figure(
			'Output Settings picker',
			'not drawn as in n8n 2.x; its choices are not checked here',
		);
		return;
	}
	await outputAdd.scrollIntoViewIfNeeded();
	await outputAdd.click();
	const offered = page.locator('.el-select-dropdown__item:visible');
	await offered.first().waitFor();
	const choices = await offered.allInnerTexts();
	step.figure('Output Settings offers', choices.length);
	step.check(
		choices.includes('Quality (JPEG)') && choices.includes('Ignore Areas'),
		`Output Settings offers ${choices.join(' | ')}`,
	);
	step.check(
		!choices.some((choice) => /Timeout|Threshold|Concurrency/.test(choice)),
		`Output Settings mixes in other settings: ${choices.join(' | ')}`,
	);
	await shoot('create-output-settings.png');
	await page.keyboard.press('Escape');
}
