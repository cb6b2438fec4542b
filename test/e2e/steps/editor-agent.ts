// Part of step 7 (with the browser on): examples/agent-anonymize.json, imported, opened in the
// editor in headless Chromium: the canvas shows the Chat Trigger, the AI Agent, and under it the
// OpenAI Chat Model and the Celantur tool, none with an issue. Screenshot agent-canvas.png.
import { statSync } from 'node:fs';
import path from 'node:path';

import { ensureChromium, launchChromium } from '../browser';
import type { E2eContext } from '../context';
import type { StepContext } from '../reporter';
import { E2E_OWNER } from '../rest-client';
import { byTestId } from './editor-page';

const MAX_SCREENSHOT_BYTES = 300 * 1024;

export async function captureAgentCanvas(
	ctx: E2eContext,
	step: StepContext,
	workflowId: string,
): Promise<void> {
	if (!ctx.browser) {
		step.figure('agent canvas', 'not shot (--no-browser)');
		return;
	}
	await ensureChromium();
	const browser = await launchChromium();
	try {
		const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
		page.setDefaultTimeout(30_000);
		await page.goto(`${ctx.n8n.baseUrl}/signin`);
		await page.locator('[data-test-id="emailOrLdapLoginId"] input').fill(E2E_OWNER.email);
		await page.locator('[data-test-id="password"] input').fill(E2E_OWNER.password);
		await byTestId(page, 'form-submit-button').click();
		await page.waitForURL((url) => !url.pathname.startsWith('/signin'));

		await page.goto(`${ctx.n8n.baseUrl}/workflow/${workflowId}`);
		const nodes = page.locator('[data-test-id="canvas-node"]');
		await nodes.first().waitFor();
		await page.waitForLoadState('networkidle');
		const names = await nodes.evaluateAll((elements) =>
			elements.map((element) => element.getAttribute('data-node-name') ?? ''),
		);
		step.figure('agent canvas nodes', names.join(' | '));
		step.check(
			names.length >= 4,
			`the example's canvas shows ${names.length} nodes: ${names.join(', ')}`,
		);
		const issues = await page.locator('[data-test-id="node-issues"]').count();
		step.check(issues === 0, `${issues} nodes of the example show issues on the canvas`);
		// Fit the workflow to the view (the canvas's "Zoom to fit" shortcut), then shoot.
		await page.keyboard.press('1');
		await page.waitForTimeout(500);
		const file = path.join(ctx.screenshotDir, 'agent-canvas.png');
		await page.screenshot({ path: file });
		const bytes = statSync(file).size;
		step.figure('agent-canvas.png', `${Math.round(bytes / 1024)} KB`);
		step.check(
			bytes < MAX_SCREENSHOT_BYTES,
			`agent-canvas.png is ${bytes} bytes (limit ${MAX_SCREENSHOT_BYTES})`,
		);
	} finally {
		await browser.close();
	}
}
