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
const addImport = (line: string) => (text: string) => text.replace(/^(import [^\n]*\n)/m, `$1${line}\n`);

describe('npm run check:imports', () => {
	it('passes the real tree', async () => {
		const { code, output } = await check();
		expect(output).toMatch(/^PASS check:imports: \d+ files, \d+ imports, no cycle/m);
		expect(code).toBe(0);
	});

	it('fails the credential importing the transport rather than the leaf', async () => {
		const file = 'credentials/CelanturApi.credentials.ts';
		const { code, output } = await withEdited(copy, file, addImport("import { redactUrl } from '../nodes/shared/transport/http-failure';"), check);
		expect(output).toContain(`FAIL ${file}: imports '../nodes/shared/transport/http-failure'`);
		expect(output).toContain('the credential may import only the leaf');
		expect(code).toBe(1);
	});

	it('fails the transport importing a helper', async () => {
		const file = 'nodes/shared/transport/pagination.ts';
		const { code, output } = await withEdited(copy, file, addImport("import { checkTaskId } from '../helpers/validate';"), check);
		expect(output).toContain(`FAIL ${file}: imports '../helpers/validate'`);
		expect(output).toContain('transport may not import helpers');
		expect(code).toBe(1);
	});

	it('fails the trigger reaching into the action node’s folder, and the reverse', async () => {
		const trigger = 'nodes/CelanturTrigger/callback.ts';
		const intoAction = await withEdited(copy, trigger, addImport("import { DEFAULTS } from '../Celantur/helpers/defaults';"), check);
		expect(intoAction.output).toContain(`FAIL ${trigger}: imports '../Celantur/helpers/defaults'`);
		expect(intoAction.output).toContain('nodes/CelanturTrigger may not import nodes/Celantur');
		expect(intoAction.code).toBe(1);

		const action = 'nodes/Celantur/actions/router.ts';
		const intoTrigger = await withEdited(copy, action, addImport("import { checkCallback } from '../../CelanturTrigger/callback';"), check);
		expect(intoTrigger.output).toContain(`FAIL ${action}: imports '../../CelanturTrigger/callback'`);
		expect(intoTrigger.code).toBe(1);
	});

	it('fails an import cycle', async () => {
		// create-body.ts imports option-bounds.ts: the reverse import, within one layer, closes a loop
		// that only the cycle search can see.
		const file = 'nodes/Celantur/helpers/option-bounds.ts';
		const { code, output } = await withEdited(copy, file, addImport("import { FORMATS } from './create-body';"), check);
		expect(output).toContain('import cycle nodes/Celantur/helpers/create-body.ts -> nodes/Celantur/helpers/option-bounds.ts -> nodes/Celantur/helpers/create-body.ts');
		expect(output.match(/^FAIL /gm)).toHaveLength(1);
		expect(code).toBe(1);
	});

	it('fails an endpoint path written outside the leaf', async () => {
		const file = 'nodes/Celantur/actions/task/get.operation.ts';
		const planted = (text: string) => text.replace('await getTask(client, taskId, itemIndex)', "await client.api('GET', `/task/${taskId}`, { itemIndex })");
		const { code, output } = await withEdited(copy, file, planted, check);
		expect(output).toMatch(new RegExp(`FAIL ${file.replace(/\./g, '\\.')}:\\d+: an endpoint path outside nodes/shared/api\\.ts`));
		expect(code).toBe(1);
	});
});
