// `npm run scan` must catch what n8n's scanner catches: a copy of this package passes, and one
// with a finding planted in the source or in the build fails, naming the rule and the file.
import { rmSync } from 'node:fs';
import path from 'node:path';

import { copyOfPackage, runScript, withEdited, type ScriptResult } from './package-copy';

const GET_MANY = path.join('nodes', 'Celantur', 'actions', 'task', 'getMany.operation.ts');
const BUILT_NODE = path.join('dist', 'nodes', 'Celantur', 'Celantur.node.js');

let copy: string;
const scan = async (): Promise<ScriptResult> => await runScript('scan.mjs', ['--package', copy]);

beforeAll(() => {
	copy = copyOfPackage(
		[
			'package.json',
			'tsconfig.json',
			'README.md',
			'LICENSE',
			'icons',
			'nodes',
			'credentials',
			'dist',
		],
		'celantur-scan-',
	);
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
		const done = "{ name: 'Done', value: 'done' },";
		const unsorted = (text: string): string =>
			text
				.replace(done, '')
				.replace(
					"{ name: 'Queued', value: 'queued' },",
					`{ name: 'Queued', value: 'queued' },\n\t\t\t\t\t${done}`,
				);
		const { code, output } = await withEdited(copy, GET_MANY, unsorted, scan);
		expect(output).toContain('FAIL source (package.json, nodes/, credentials/): 1 finding');
		expect(output).toContain('n8n-nodes-base/node-param-options-type-unsorted-items');
		expect(output).toContain('getMany.operation.ts');
		expect(output).toContain('PASS tarball (npm pack of the build): 0 findings');
		expect(code).toBe(1);
	}, 600_000);

	it('fails on a console call that only the built tarball has', async () => {
		const { code, output } = await withEdited(
			copy,
			BUILT_NODE,
			(text) => `${text}\nconsole.log("planted");\n`,
			scan,
		);
		expect(output).toContain('PASS source (package.json, nodes/, credentials/): 0 findings');
		expect(output).toContain('FAIL tarball (npm pack of the build): 1 finding');
		expect(output).toContain('no-console');
		expect(code).toBe(1);
	}, 600_000);

	it('fails when package.json no longer asks for strict mode, since n8n-node would then skip its default rules', async () => {
		const notStrict = (text: string): string => {
			const manifest = JSON.parse(text) as { n8n: Record<string, unknown> };
			delete manifest.n8n.strict;
			return JSON.stringify(manifest, null, 2);
		};
		const { code, output } = await withEdited(copy, 'package.json', notStrict, scan);
		expect(output).toContain('FAIL n8n-node lint, strict mode');
		expect(code).toBe(1);
	}, 600_000);
});
