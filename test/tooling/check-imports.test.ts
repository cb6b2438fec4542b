// `npm run check:imports` must fail, naming the file, on each way the layers can go wrong, and
// pass on the real tree. Each fault is planted in a temporary copy of nodes/ and credentials/.
import { rmSync } from 'node:fs';

import { copyOfPackage, runScript, withEdited } from './package-copy';

let copy: string;
const check = async () => await runScript('check-imports.mjs', ['--root', copy]);

beforeAll(() => {
	copy = copyOfPackage(['nodes', 'credentials'], 'celantur-imports-');
});

afterAll(() => rmSync(copy, { recursive: true, force: true }));

/** Adds `line` after the first import of `file`, so it reads as one more import. */
const addImport = (line: string) => (text: string) =>
	text.replace(/^(import [^\n]*\n)/m, `$1${line}\n`);

describe('npm run check:imports', () => {
	it('passes the real tree', async () => {
		const { code, output } = await check();
		expect(output).toMatch(/^PASS check:imports: \d+ files, \d+ imports, no cycle/m);
		expect(code).toBe(0);
	});

	/** An import that breaks a layer rule: where it is planted, what it imports, what the check must say. */
	const PLANTED: Array<
		[what: string, file: string, specifier: string, imported: string, reason: string]
	> = [
		[
			'the credential importing the transport, not the leaf',
			'credentials/CelanturApi.credentials.ts',
			'../nodes/shared/transport/http-failure',
			'redactUrl',
			'the credential may import only the leaf',
		],
		[
			'the transport importing a helper',
			'nodes/shared/transport/pagination.ts',
			'../helpers/validate',
			'checkTaskId',
			'transport may not import helpers',
		],
		[
			'the trigger reaching into the action node’s folder',
			'nodes/CelanturTrigger/callback.ts',
			'../Celantur/actions/task/fields',
			'simplifyField',
			'nodes/CelanturTrigger may not import nodes/Celantur',
		],
		[
			'the action node reaching into the trigger’s folder',
			'nodes/Celantur/actions/router.ts',
			'../../CelanturTrigger/callback',
			'checkCallback',
			'nodes/Celantur may not import nodes/CelanturTrigger',
		],
	];

	it.each(PLANTED)('fails %s', async (_what, file, specifier, imported, reason) => {
		const { code, output } = await withEdited(
			copy,
			file,
			addImport(`import { ${imported} } from '${specifier}';`),
			check,
		);
		expect(output).toContain(`FAIL ${file}: imports '${specifier}'`);
		expect(output).toContain(reason);
		expect(code).toBe(1);
	});

	it('fails an import cycle', async () => {
		// image-link.ts imports binary-input.ts: the reverse import, within one layer, closes a loop
		// that only the cycle search can see.
		const file = 'nodes/shared/helpers/binary-input.ts';
		const { code, output } = await withEdited(
			copy,
			file,
			addImport("import { IMAGE_LINK_LIMITS } from './image-link';"),
			check,
		);
		expect(output).toContain(
			'import cycle nodes/shared/helpers/binary-input.ts -> nodes/shared/helpers/image-link.ts -> nodes/shared/helpers/binary-input.ts',
		);
		expect(output.match(/^FAIL /gm)).toHaveLength(1);
		expect(code).toBe(1);
	});

	it('fails an endpoint path written outside the leaf', async () => {
		const file = 'nodes/Celantur/actions/task/get.operation.ts';
		const planted = (text: string) =>
			text.replace(
				'await getTask(client, taskId, itemIndex)',
				"await client.api('GET', `/task/${taskId}`, { itemIndex })",
			);
		const { code, output } = await withEdited(copy, file, planted, check);
		expect(output).toMatch(
			new RegExp(
				`FAIL ${file.replace(/\./g, '\\.')}:\\d+: an endpoint path outside nodes/shared/api\\.ts`,
			),
		);
		expect(code).toBe(1);
	});
});
