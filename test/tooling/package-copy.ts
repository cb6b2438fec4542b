// The tooling tests run a project script on a copy of this package with one fault planted in it.
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const ROOT = path.join(__dirname, '..', '..');

export interface ScriptResult {
	code: number;
	output: string;
}

/** Runs a script of scripts/ with Node, as npm would, and keeps its exit code and all it printed. */
export async function runScript(script: string, args: string[]): Promise<ScriptResult> {
	return await run(process.execPath, [path.join(ROOT, 'scripts', script), ...args], {
		maxBuffer: 16 * 1024 * 1024,
	}).then(
		(ok) => ({ code: 0, output: `${ok.stdout}${ok.stderr}` }),
		(failed: { code: number; stdout: string; stderr: string }) => ({
			code: failed.code,
			output: `${failed.stdout}${failed.stderr}`,
		}),
	);
}

/** A temporary copy of the package's `entries`, built first if dist/ is missing. */
export function copyOfPackage(entries: string[], prefix: string): string {
	if (!existsSync(path.join(ROOT, 'dist', 'nodes', 'Celantur', 'Celantur.node.js')))
		execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
	const copy = mkdtempSync(path.join(tmpdir(), prefix));
	for (const entry of entries)
		cpSync(path.join(ROOT, entry), path.join(copy, entry), { recursive: true });
	return copy;
}

/** Runs `check` with one file of `copy` changed by `edit` (which must change it), then puts the file back. */
export async function withEdited<T>(
	copy: string,
	file: string,
	edit: (text: string) => string,
	check: () => Promise<T>,
): Promise<T> {
	const full = path.join(copy, file);
	const clean = readFileSync(full, 'utf8');
	const changed = edit(clean);
	if (changed === clean)
		throw new Error(`the edit left ${file} as it was: the planted fault is missing`);
	writeFileSync(full, changed);
	try {
		return await check();
	} finally {
		writeFileSync(full, clean);
	}
}
