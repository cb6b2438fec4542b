// Builds a deliberately changed copy of the package, to show that run.ts fails for real when the
// package is broken. Usage:
//   ts-node --transpile-only test/e2e/variant.ts <variant> [out-dir]    (prints the tarball's path)
//   ts-node --transpile-only test/e2e/run.ts --tarball <that path>
// The variant is made from the current dist/ (run `npm run build` first); each change must apply,
// or this fails rather than pack an unchanged package.
import {
	cpSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { pack } from './package-install';
import { mustRun } from './processes';

/** A text replacement that must apply, or a rewrite of package.json. */
type Change =
	| { file: string; from: string; to: string }
	| { file: 'package.json'; edit: (packageJson: Record<string, unknown>) => void };

/** 0.1.0 -> 0.1.1 */
function nextPatch(version: unknown): string {
	const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(String(version));
	if (!match) throw new Error(`package.json version ${JSON.stringify(version)} is not x.y.z`);
	return `${match[1]}.${match[2]}.${Number(match[3]) + 1}`;
}

/** The Celantur node's description, which the `next-version` variant changes visibly. */
export const NODE_DESCRIPTION =
	'Anonymize faces, people, license plates and vehicles in images with the Celantur Cloud API';
export const NEXT_VERSION_DESCRIPTION = `${NODE_DESCRIPTION} (next version)`;

export const VARIANTS: Record<string, { what: string; changes: Change[] }> = {
	'wrong-credential-name': {
		what: 'the credential type is named celanturApiRenamed, while both nodes ask for celanturApi',
		changes: [
			{
				file: 'dist/credentials/CelanturApi.credentials.js',
				from: "this.name = 'celanturApi';",
				to: "this.name = 'celanturApiRenamed';",
			},
		],
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
	'next-version': {
		what: "a newer release with the same contract: version patch+1, the Celantur node's description changed",
		changes: [
			{ file: 'package.json', edit: (json) => void (json.version = nextPatch(json.version)) },
			{
				file: 'dist/nodes/Celantur/Celantur.node.js',
				from: `'${NODE_DESCRIPTION}'`,
				to: `'${NEXT_VERSION_DESCRIPTION}'`,
			},
		],
	},
	'no-n8n-field': {
		what: "package.json has no `n8n` field: n8n's installer finds no nodes in it",
		changes: [{ file: 'package.json', edit: (json) => void delete json.n8n }],
	},
	'wrong-keyword': {
		what: "package.json lacks the keyword n8n-community-node-package (n8n's search and the npm listing find it by that keyword)",
		changes: [
			{
				file: 'package.json',
				edit: (json) =>
					void (json.keywords = (json.keywords as string[]).filter(
						(keyword) => keyword !== 'n8n-community-node-package',
					)),
			},
		],
	},
};

function applyChange(copy: string, change: Change): void {
	const file = path.join(copy, change.file);
	const text = readFileSync(file, 'utf8');
	if ('edit' in change) {
		const json = JSON.parse(text) as Record<string, unknown>;
		change.edit(json);
		writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
		return;
	}
	if (!text.includes(change.from))
		throw new Error(
			`${change.file} no longer contains ${JSON.stringify(change.from)}: update the variant`,
		);
	writeFileSync(file, text.split(change.from).join(change.to));
}

async function packVariant(copy: string, name: string, outDir: string): Promise<string> {
	const variant = VARIANTS[name];
	for (const change of variant.changes) applyChange(copy, change);
	mkdirSync(outDir, { recursive: true });
	const packed = await pack(copy, outDir);
	const renamed = path.join(outDir, `${path.basename(packed.tarball, '.tgz')}-${name}.tgz`);
	cpSync(packed.tarball, renamed);
	return renamed;
}

function checkName(name: string): void {
	if (!VARIANTS[name])
		throw new Error(`unknown variant "${name}"; one of: ${Object.keys(VARIANTS).join(', ')}`);
}

/** The variant made from a packed tarball (the run's own package) instead of dist/. */
export async function buildVariantOfTarball(
	tarball: string,
	name: string,
	outDir: string,
): Promise<string> {
	checkName(name);
	const copy = mkdtempSync(path.join(tmpdir(), `celantur-variant-${name}-`));
	try {
		await mustRun('tar', ['-xzf', tarball, '-C', copy, '--strip-components=1']);
		return await packVariant(copy, name, outDir);
	} finally {
		rmSync(copy, { recursive: true, force: true });
	}
}

export async function buildVariant(root: string, name: string, outDir: string): Promise<string> {
	checkName(name);
	if (!existsSync(path.join(root, 'dist'))) throw new Error('no dist/: run `npm run build` first');
	const copy = mkdtempSync(path.join(tmpdir(), `celantur-variant-${name}-`));
	for (const entry of ['package.json', 'README.md', 'LICENSE', 'dist']) {
		if (existsSync(path.join(root, entry)))
			cpSync(path.join(root, entry), path.join(copy, entry), { recursive: true });
	}
	return packVariant(copy, name, outDir);
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
