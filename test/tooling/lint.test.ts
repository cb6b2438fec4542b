// `npm run lint` must hold shipped code to the scanner's rules (not only n8n's community plugin),
// and only shipped code: test fixtures that look like nodes may use what nodes may not.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = path.join(__dirname, '..', '..');
const ESLINT = path.join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');

/** Lints `source` as if it were the file at `relativePath`, with the project's eslint.config.mjs. */
async function lintAs(
	relativePath: string,
	source: string,
): Promise<{ code: number; output: string }> {
	const child = run(process.execPath, [ESLINT, '--stdin', '--stdin-filename', relativePath], {
		cwd: ROOT,
	});
	child.child.stdin?.end(source);
	return await child.then(
		(ok) => ({ code: 0, output: ok.stdout }),
		(failed: { code: number; stdout: string; stderr: string }) => ({
			code: failed.code,
			output: `${failed.stdout}${failed.stderr}`,
		}),
	);
}

const read = (relativePath: string): string => readFileSync(path.join(ROOT, relativePath), 'utf8');

describe('npm run lint', () => {
	const fields = 'nodes/Celantur/actions/task/fields.ts';

	it('passes the shipped fields as they are', async () => {
		const { code, output } = await lintAs(fields, read(fields));
		expect(output).toBe('');
		expect(code).toBe(0);
	}, 600_000);

	it('fails a node parameter whose default the scanner cannot read (DEFAULTS.x instead of a plain name)', async () => {
		const seeded = read(fields).replace('default: text,', 'default: DEFAULTS.text,');
		expect(seeded).not.toBe(read(fields));
		const { code, output } = await lintAs(fields, seeded);
		expect(output).toContain('n8n-nodes-base/node-param-default-missing');
		expect(code).toBe(1);
	}, 600_000);

	it('fails a package.json without an author e-mail (the community package rules)', async () => {
		const manifest = JSON.parse(read('package.json')) as { author: Record<string, string> };
		delete manifest.author.email;
		const { code, output } = await lintAs('package.json', JSON.stringify(manifest, null, 2));
		expect(output).toContain('@n8n/community-nodes/valid-author');
		expect(code).toBe(1);
	}, 600_000);

	it('fails console use in shipped code but not in a test fixture node', async () => {
		const line = '\nexport function shout(): void {\n\tconsole.log("x");\n}\n';
		const shipped = await lintAs(fields, read(fields) + line);
		expect(shipped.output).toContain('no-console');
		expect(shipped.code).toBe(1);

		const fixture = 'test/nodes/SetJson.node.ts';
		const inTests = await lintAs(fixture, read(fixture) + line);
		expect(inTests.output).toBe('');
		expect(inTests.code).toBe(0);
	}, 600_000);
});
