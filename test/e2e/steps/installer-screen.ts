// Step 6 in the matrix's default version: install and update through Settings -> Community nodes in
// headless Chromium, as a user does it (Install, the package's name, the risk checkbox, Install;
// later the package card's Update and the confirmation), with a screenshot of the installed package
// for the README (docs/screenshots/community-nodes-installed.png).
import { statSync } from 'node:fs';
import path from 'node:path';

import type { Browser, Page } from 'playwright-core';

import { ensureChromium, launchChromium } from '../browser';
import type { E2eContext } from '../context';
import type { N8nInstance } from '../n8n-instance';
import { E2E_OWNER } from '../rest-client';
import type { InstallerDriver } from './installer';

const MAX_SCREENSHOT_BYTES = 300 * 1024;
export const INSTALLED_SCREENSHOT = 'community-nodes-installed.png';
/** n8n's installer runs npm; on a busy machine that takes a while. A ceiling, not an expectation. */
const INSTALL_CEILING_MS = 300_000;

const byTestId = (page: Page, id: string): ReturnType<Page['locator']> =>
	page.locator(`[data-test-id="${id}"]`);

async function openCommunityNodes(page: Page, n8n: N8nInstance): Promise<void> {
	await page.goto(`${n8n.baseUrl}/settings/community-nodes`);
	// Empty: "Install a community node"; with packages: their cards and "Install" at the top.
	await page
		.getByRole('button', { name: /^Install/ })
		.or(byTestId(page, 'community-package-card'))
		.first()
		.waitFor();
	await page.waitForLoadState('networkidle');
}

function card(page: Page, name: string): ReturnType<Page['locator']> {
	return byTestId(page, 'community-package-card').filter({ hasText: name });
}

export async function installerScreen(ctx: E2eContext, n8n: N8nInstance): Promise<InstallerDriver> {
	await ensureChromium();
	const browser: Browser = await launchChromium();
	const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
	page.setDefaultTimeout(60_000);
	await page.goto(`${n8n.baseUrl}/signin`);
	await page.locator('[data-test-id="emailOrLdapLoginId"] input').fill(E2E_OWNER.email);
	await page.locator('[data-test-id="password"] input').fill(E2E_OWNER.password);
	await byTestId(page, 'form-submit-button').click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'));

	/** On failure, what the screen showed, beside n8n's log. */
	const evidence = async <T>(what: string, action: () => Promise<T>): Promise<T> => {
		try {
			return await action();
		} catch (error) {
			await page
				.screenshot({ path: path.join(ctx.work, `${what}-failed.png`) })
				.catch(() => undefined);
			throw error;
		}
	};

	return {
		how: 'Settings -> Community nodes in Chromium',
		install: (name: string) =>
			evidence('install', async () => {
				await openCommunityNodes(page, n8n);
				// The empty page's "Install a community node", or the header's "Install".
				await page
					.getByRole('button', { name: /^Install/ })
					.first()
					.click();
				const input = byTestId(page, 'package-name-input').locator(
					'xpath=descendant-or-self::input',
				);
				await input.fill(name);
				await byTestId(page, 'user-agreement-checkbox').click();
				await byTestId(page, 'install-community-package-button').click();
				await card(page, name).waitFor({ timeout: INSTALL_CEILING_MS });
				await openCommunityNodes(page, n8n);
				await card(page, name).waitFor();
				const file = path.join(ctx.screenshotDir, INSTALLED_SCREENSHOT);
				await page.screenshot({ path: file });
				const bytes = statSync(file).size;
				if (bytes >= MAX_SCREENSHOT_BYTES)
					throw new Error(
						`${INSTALLED_SCREENSHOT} is ${bytes} bytes (limit ${MAX_SCREENSHOT_BYTES})`,
					);
			}),
		update: (name: string, expected: string) =>
			evidence('update', async () => {
				await openCommunityNodes(page, n8n);
				await card(page, name).getByRole('button', { name: 'Update' }).click();
				// "You are about to update n8n-nodes-celantur to version 0.1.1", Confirm update.
				const confirm = page.getByRole('button', { name: 'Confirm update' });
				await confirm.click();
				await confirm.waitFor({ state: 'hidden', timeout: INSTALL_CEILING_MS });
				// The dialog closes before n8n has finished: done when the card shows the new version.
				await card(page, name)
					.filter({ hasText: `v${expected}` })
					.waitFor({ timeout: INSTALL_CEILING_MS });
			}),
		async close(): Promise<void> {
			await browser.close();
		},
	};
}
