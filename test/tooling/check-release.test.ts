// `npm run check:release` must catch a broken release: workflows GitHub would reject, a publish
// workflow that skips a check or cannot attest provenance, and a package that ships the wrong files.
import { rmSync } from 'node:fs';
import path from 'node:path';

import { copyOfPackage, runScript, withEdited, type ScriptResult } from './package-copy';

const PUBLISH = path.join('.github', 'workflows', 'publish.yml');

let copy: string;
const check = async (): Promise<ScriptResult> =>
	await runScript('check-release.mjs', ['--root', copy]);
const checkWith = async (file: string, edit: (text: string) => string): Promise<ScriptResult> =>
	await withEdited(copy, file, edit, check);

beforeAll(() => {
	copy = copyOfPackage(
		['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'dist', '.github'],
		'celantur-release-',
	);
}, 600_000);

afterAll(() => rmSync(copy, { recursive: true, force: true }));

describe('npm run check:release', () => {
	it('passes this package: valid workflows, only dist/ and the top-level docs ship', async () => {
		const { code, output } = await check();
		expect(output).toContain('PASS 2 workflows valid');
		expect(output).toMatch(/PASS npm publish --dry-run ships \d+ files/);
		expect(code).toBe(0);
	}, 600_000);

	it('fails a publish workflow that no longer scans before publishing', async () => {
		const { code, output } = await checkWith(PUBLISH, (text) =>
			text.replace('run: npm run scan', 'run: echo skipped'),
		);
		expect(output).toContain('publish.yml must run `npm run scan`');
		expect(code).toBe(1);
	}, 600_000);

	it('fails a permission GitHub does not know, by schema and by actionlint', async () => {
		const { code, output } = await checkWith(PUBLISH, (text) =>
			text.replace(/^(\s+)id-token: write$/m, '$1id-token: writ'),
		);
		expect(output).toContain("does not match GitHub's workflow schema");
		expect(output).toContain('actionlint (permissions)');
		expect(output).toContain('must grant `id-token: write`');
		expect(code).toBe(1);
	}, 600_000);

	it('fails a publish without provenance', async () => {
		const { code, output } = await checkWith(PUBLISH, (text) =>
			text.replace('npm publish --provenance --access public', 'npm publish --access public'),
		);
		expect(output).toContain('must run `npm publish --provenance --access public`');
		expect(code).toBe(1);
	}, 600_000);

	it('fails a package that would ship more than dist/ and the docs, or a "main" that does not ship', async () => {
		const { code, output } = await checkWith('package.json', (text) => {
			const manifest = JSON.parse(text) as { files: string[]; main?: string };
			manifest.files.push('.github');
			manifest.main = 'index.js';
			return JSON.stringify(manifest, null, 2);
		});
		expect(output).toContain('npm publish would ship files beyond dist/');
		expect(output).toContain('.github/workflows/publish.yml');
		expect(output).toContain('"main" names index.js, which does not ship');
		expect(code).toBe(1);
	}, 600_000);

	it('fails when the changelog would not ship', async () => {
		const { code, output } = await checkWith('package.json', (text) =>
			text.replace('"CHANGELOG.md"', '"dist"'),
		);
		expect(output).toContain('npm publish would not ship CHANGELOG.md');
		expect(code).toBe(1);
	}, 600_000);
});
