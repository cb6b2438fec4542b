// Headless Chromium for the editor checks: Debian's `chromium` package (installed with apt-get when
// missing, as the script must work on a fresh machine), driven by playwright-core.
import { existsSync } from 'node:fs';

import type { Browser } from 'playwright-core';

import { mustRun } from './processes';

export const CHROMIUM = '/usr/bin/chromium';

const FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
];

/** Installs Debian's chromium if it is not there; returns whether it had to. */
export async function ensureChromium(): Promise<boolean> {
	if (existsSync(CHROMIUM)) return false;
	if (process.getuid?.() !== 0)
		throw new Error(`${CHROMIUM} is missing; install it with: sudo apt-get install -y chromium`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	await mustRun('apt-get', ['update'], { env, timeoutMs: 10 * 60_000 });
	await mustRun('apt-get', ['install', '-y', 'chromium'], { env, timeoutMs: 20 * 60_000 });
	if (!existsSync(CHROMIUM))
		throw new Error(`apt-get installed chromium, but ${CHROMIUM} is not there`);
	return true;
}

export async function launchChromium(): Promise<Browser> {
	// Loaded here, so that a machine without playwright-core still runs the other steps.
	const { chromium } = await import('playwright-core');
	return chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
}
