import type { Emulator } from '../emulator';
import type { N8nInstance } from './n8n-instance';
import type { N8nRest } from './rest-client';

/** What the steps share. */
export interface E2eContext {
	/** The package's root (where package.json is). */
	root: string;
	/** The run's temp folder: n8n user folder, images, workflow files, logs. */
	work: string;
	inputDir: string;
	outputDir: string;
	/** Test images written to inputDir, by file name. */
	images: Map<string, Buffer>;
	packageName: string;
	emulator: Emulator;
	n8n: N8nInstance;
	/** The n8n version of the matrix under test, e.g. "2.41.1". */
	n8nVersion: string;
	rest: N8nRest;
	/** Where screenshots go. */
	screenshotDir: string;
	/** Whether steps may use headless Chromium (off with --no-browser). */
	browser: boolean;
	/** Run when the version's run ends, after n8n stopped (servers the steps started). */
	cleanups: Array<() => Promise<void>>;
}
