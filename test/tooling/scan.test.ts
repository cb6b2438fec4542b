// `npm run scan` must catch what n8n's scanner catches: a copy of this package passes, and one
// with a finding planted in the source or in the build fails, naming the rule and the file.
import { execFile, execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = path.join(__dirname, '..', '..');
const SCRIPT = path.join(ROOT, 'scripts', 'scan.mjs');
const GET_MANY = path.join('nodes', 'Celantur', 'actions', 'task', 'getMany.operation.ts');
const BUILT_NODE = path.join('dist', 'nodes', 'Celantur', 'Celantur.node.js');

let copy: string;

async function scan(): Promise<{ code: number; output: string }> {
	return await run(process.execPath, [SCRIPT, '--package', copy], { maxBuffer: 16 * 1024 * 1024 }).then(
		(ok) => ({ code: 0, output: ok.stdout }),
		(failed: { code: number; stdout: string; stderr: string }) => ({ code: failed.code, output: `${failed.stdout}${failed.stderr}` }),
	);
}

beforeAll(() => {
	if (!existsSync(path.join(ROOT, BUILT_NODE))) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
	copy = mkdtempSync(path.join(tmpdir(), 'celantur-scan-test-'));
	for (const entry of ['package.json', 'tsconfig.json', 'README.md', 'LICENSE', 'nodes', 'credentials', 'dist']) {
		cpSync(path.join(ROOT, entry), path.join(copy, entry), { recursive: true });
	}
}, 600_000);

afterAll(() => rmSync(copy, { recursive: true, force: true }));

describe('npm run scan', () => {
	it('passes this package: no findings in the source, the tarball or n8n-node lint', async () => {
		const { code, output } = await scan();
		expect(output).toContain('PASS source (package.json, nodes/, credentials/): 0 findings');
		expect(output).toContain('PASS tarball (npm pack of the build): 0 findings');
		expect(output).toContain('PASS n8n-node lint, strict mode: 0 findings');
		expect(code).toBe(0);
	}, 600_000);

	it('fails on options out of alphabetical order in the source (one of the findings n8n reported)', async () => {
		const file = path.join(copy, GET_MANY);
		const clean = readFileSync(file, 'utf8');
		const done = "{ name: 'Done', value: 'done' },";
		expect(clean).toContain(done);
		writeFileSync(file, clean.replace(done, '').replace("{ name: 'Queued', value: 'queued' },", `{ name: 'Queued', value: 'queued' },\n\t\t\t\t\t${done}`));
		try {
			const { code, output } = await scan();
			expect(code).toBe(1);
			expect(output).toContain('FAIL source (package.json, nodes/, credentials/): 1 finding');
			expect(output).toContain('n8n-nodes-base/node-param-options-type-unsorted-items');
			expect(output).toContain('getMany.operation.ts');
			expect(output).toContain('PASS tarball (npm pack of the build): 0 findings');
		} finally {
			writeFileSync(file, clean);
		}
	}, 600_000);

	it('fails on a console call that only the built tarball has', async () => {
		const file = path.join(copy, BUILT_NODE);
		const clean = readFileSync(file, 'utf8');
		appendFileSync(file, '\nconsole.log("planted");\n');
		try {
			const { code, output } = await scan();
			expect(code).toBe(1);
			expect(output).toContain('PASS source (package.json, nodes/, credentials/): 0 findings');
			expect(output).toContain('FAIL tarball (npm pack of the build): 1 finding');
			expect(output).toContain('no-console');
		} finally {
			writeFileSync(file, clean);
		}
	}, 600_000);

	it('fails when package.json no longer asks for strict mode, since n8n-node would then skip its default rules', async () => {
		const file = path.join(copy, 'package.json');
		const clean = readFileSync(file, 'utf8');
		const manifest = JSON.parse(clean) as { n8n: Record<string, unknown> };
		delete manifest.n8n.strict;
		writeFileSync(file, JSON.stringify(manifest, null, 2));
		try {
			const { code, output } = await scan();
			expect(code).toBe(1);
			expect(output).toContain('FAIL n8n-node lint, strict mode');
		} finally {
			writeFileSync(file, clean);
		}
	}, 600_000);
});
