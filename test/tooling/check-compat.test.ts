// `npm run check:compat` must catch a value taken from n8n-workflow that some supported n8n no
// longer exports: a build that still used `sleepWithAbort` (gone from n8n-workflow 2.34.0) fails.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPT = path.join(__dirname, '..', '..', 'scripts', 'check-compat.mjs');

async function checkDist(files: Record<string, string>): Promise<{ code: number; output: string }> {
	const dist = mkdtempSync(path.join(tmpdir(), 'celantur-compat-'));
	try {
		for (const [name, source] of Object.entries(files)) {
			mkdirSync(path.dirname(path.join(dist, name)), { recursive: true });
			writeFileSync(path.join(dist, name), source);
		}
		const result = await run(process.execPath, [SCRIPT, '--dist', dist, '--no-typecheck']).then(
			(ok) => ({ code: 0, output: ok.stdout }),
			(failed: { code: number; stdout: string; stderr: string }) => ({
				code: failed.code,
				output: `${failed.stdout}${failed.stderr}`,
			}),
		);
		return result;
	} finally {
		rmSync(dist, { recursive: true, force: true });
	}
}

describe('check:compat', () => {
	it('fails on a build that takes sleepWithAbort from n8n-workflow, naming each version without it', async () => {
		const { code, output } = await checkDist({
			'nodes/retry.js': [
				'"use strict";',
				'const n8n_workflow_1 = require("n8n-workflow");',
				'async function pause(ms, signal) { await (0, n8n_workflow_1.sleepWithAbort)(ms, signal); }',
				'exports.pause = pause;',
			].join('\n'),
		});
		expect(code).toBe(1);
		expect(output).toContain('PASS n8n-workflow 2.33.2');
		expect(output).toContain(
			'FAIL n8n-workflow 2.34.0 does not export sleepWithAbort (used in nodes/retry.js)',
		);
		expect(output).toContain('FAIL n8n-workflow 2.41.0 does not export sleepWithAbort');
	}, 600_000);

	it('passes a build that takes only values every supported version exports, destructured ones included', async () => {
		const { code, output } = await checkDist({
			'a.js':
				'const n8n_workflow_1 = require("n8n-workflow");\nnew n8n_workflow_1.NodeOperationError();',
			'b.js': 'const { sleep: wait } = require("n8n-workflow");\nwait(1);',
		});
		expect(output).toContain('dist/ takes 2 values from n8n-workflow: NodeOperationError, sleep');
		expect(code).toBe(0);
	}, 600_000);
});
