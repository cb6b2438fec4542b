// Builds a deliberately changed copy of the package, to show that run.ts fails for real when the
// package is broken. Usage:
//   ts-node --transpile-only test/e2e/variant.ts <variant> [out-dir]    (prints the tarball's path)
//   ts-node --transpile-only test/e2e/run.ts --tarball <that path>
// The variant is made from the current dist/ (run `npm run build` first); each change must apply,
// or this fails rather than pack an unchanged package.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { pack } from './package-install';

interface Change {
	file: string;
	from: string;
	to: string;
}

export const VARIANTS: Record<string, { what: string; changes: Change[] }> = {
	'wrong-credential-name': {
		what: 'the credential type is named celanturApiRenamed, while both nodes ask for celanturApi',
		changes: [{ file: 'dist/credentials/CelanturApi.credentials.js', from: "this.name = 'celanturApi';", to: "this.name = 'celanturApiRenamed';" }],
	},
	'node-throws': {
		what: 'the Celantur node throws as soon as it executes',
		changes: [
			{
				file: 'dist/nodes/Celantur/Celantur.node.js',
				from: 'async execute() {',
				to: "async execute() { throw new Error('deliberately broken by test/e2e/variant.ts');",
			},
		],
	},
};

export async function buildVariant(root: string, name: string, outDir: string): Promise<string> {
	const variant = VARIANTS[name];
	if (!variant) throw new Error(`unknown variant "${name}"; one of: ${Object.keys(VARIANTS).join(', ')}`);
	if (!existsSync(path.join(root, 'dist'))) throw new Error('no dist/: run `npm run build` first');
	const copy = mkdtempSync(path.join(tmpdir(), `celantur-variant-${name}-`));
	for (const entry of ['package.json', 'README.md', 'LICENSE', 'dist']) {
		if (existsSync(path.join(root, entry))) cpSync(path.join(root, entry), path.join(copy, entry), { recursive: true });
	}
	for (const change of variant.changes) {
		const file = path.join(copy, change.file);
		const text = readFileSync(file, 'utf8');
		if (!text.includes(change.from)) throw new Error(`${change.file} no longer contains ${JSON.stringify(change.from)}: update the variant`);
		writeFileSync(file, text.split(change.from).join(change.to));
	}
	mkdirSync(outDir, { recursive: true });
	const packed = await pack(copy, outDir);
	const renamed = path.join(outDir, `${path.basename(packed.tarball, '.tgz')}-${name}.tgz`);
	cpSync(packed.tarball, renamed);
	return renamed;
}

if (require.main === module) {
	const [name, outDir = path.join(tmpdir(), 'celantur-variants')] = process.argv.slice(2);
	buildVariant(path.resolve(__dirname, '..', '..'), name ?? '', outDir).then(
		(tarball) => {
			console.error(`${name}: ${VARIANTS[name].what}`);
			console.log(tarball);
		},
		(error: unknown) => {
			console.error(error instanceof Error ? error.message : error);
			process.exit(1);
		},
	);
}
