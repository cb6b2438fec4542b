#!/usr/bin/env node
// `npm run check:imports`: the shipped code's layers point one way. Reads every .ts file under
// nodes/ and credentials/ and fails, naming the file and the import, on:
//   - an import cycle;
//   - the credential importing anything but the leaf (the files directly in nodes/shared/);
//   - a layer importing a layer above it: leaf < transport < helpers < actions < node files;
//   - one node's folder importing the other's (nodes/Celantur <-> nodes/CelanturTrigger), or
//     nodes/shared importing either: what both nodes need lives in nodes/shared;
//   - an endpoint path ('/task...', '/signin') written anywhere but nodes/shared/api.ts.
// No dependency: imports are read with a regular expression, which is enough for this tree's
// plain `import ... from '...'` / `export ... from '...'` statements.
//
//   npm run check:imports
//   node scripts/check-imports.mjs --root DIR    (check another copy of the tree)
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const rootArg = process.argv.indexOf('--root');
const ROOT =
	rootArg > 0
		? resolve(process.argv[rootArg + 1])
		: resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Layers from the bottom; a file may import its own layer or one below. */
const LAYERS = ['leaf', 'transport', 'helpers', 'actions', 'node'];
/** The one file where endpoint paths are written; everything else names them through it. */
const ENDPOINT_HOME = 'nodes/shared/api.ts';
const ENDPOINT_STRING = /['"`]\/(?:task|signin)\b/;
const IMPORT =
	/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]|(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g;

function filesUnder(dir) {
	if (!existsSync(dir)) return [];
	return readdirSync(dir).flatMap((name) => {
		const full = join(dir, name);
		if (statSync(full).isDirectory()) return filesUnder(full);
		return name.endsWith('.ts') ? [full] : [];
	});
}

const posix = (file) => relative(ROOT, file).split(sep).join('/');

/** The layer and the folder ("unit") a file belongs to, from its path alone. */
function place(file) {
	if (file.startsWith('credentials/')) return { unit: 'credentials', layer: 'credential' };
	const parts = file.split('/');
	const unit = parts[1];
	if (unit === 'shared' && parts.length === 3) return { unit, layer: 'leaf' };
	for (const layer of ['transport', 'helpers', 'actions'])
		if (parts.includes(layer)) return { unit, layer };
	return { unit, layer: 'node' };
}

/** The file a relative import names, as tsc resolves it: `x.ts` or `x/index.ts`. */
function resolveImport(from, specifier) {
	const base = resolve(ROOT, dirname(from), specifier);
	for (const candidate of [`${base}.ts`, join(base, 'index.ts')])
		if (existsSync(candidate)) return posix(candidate);
	return undefined;
}

function importsOf(file, text) {
	const found = [];
	for (const match of text.matchAll(IMPORT)) {
		const specifier = match[1] ?? match[2];
		if (!specifier.startsWith('.')) continue;
		const target = resolveImport(file, specifier);
		found.push({ specifier, target });
	}
	return found;
}

function ruleBroken(file, target) {
	const from = place(file);
	const to = place(target);
	if (from.layer === 'credential') {
		return to.layer === 'leaf'
			? undefined
			: 'the credential may import only the leaf (files directly in nodes/shared/)';
	}
	if (to.layer === 'credential')
		return 'nodes import the credential only by its name, never its module';
	if (from.unit !== to.unit && to.unit !== 'shared')
		return `nodes/${from.unit} may not import nodes/${to.unit}: shared code goes in nodes/shared`;
	if (LAYERS.indexOf(to.layer) > LAYERS.indexOf(from.layer))
		return `${from.layer} may not import ${to.layer} (layers: ${LAYERS.join(' < ')})`;
	return undefined;
}

/** Every cycle once, as a path of files, by depth-first search over the import graph. */
function cycles(graph) {
	const found = [];
	const state = new Map();
	const stack = [];
	const visit = (file) => {
		state.set(file, 'open');
		stack.push(file);
		for (const next of graph.get(file) ?? []) {
			if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next]);
			else if (!state.has(next)) visit(next);
		}
		stack.pop();
		state.set(file, 'done');
	};
	for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
	return found;
}

const files = [...filesUnder(join(ROOT, 'nodes')), ...filesUnder(join(ROOT, 'credentials'))]
	.map(posix)
	.sort();
const problems = [];
const graph = new Map();
for (const file of files) {
	const text = readFileSync(join(ROOT, file), 'utf8');
	const edges = [];
	for (const { specifier, target } of importsOf(file, text)) {
		if (!target) {
			problems.push(
				`${file}: imports '${specifier}', which is no .ts file of nodes/ or credentials/`,
			);
			continue;
		}
		edges.push(target);
		const broken = ruleBroken(file, target);
		if (broken) problems.push(`${file}: imports '${specifier}' (${target}): ${broken}`);
	}
	graph.set(file, edges);
	if (file !== ENDPOINT_HOME) {
		text.split('\n').forEach((line, index) => {
			if (ENDPOINT_STRING.test(line)) {
				problems.push(
					`${file}:${index + 1}: an endpoint path outside ${ENDPOINT_HOME} (use its ENDPOINTS and the transport's functions): ${line.trim()}`,
				);
			}
		});
	}
}
for (const cycle of cycles(graph)) problems.push(`${cycle[0]}: import cycle ${cycle.join(' -> ')}`);

const edgeCount = [...graph.values()].reduce((sum, edges) => sum + edges.length, 0);
if (problems.length) {
	for (const problem of problems) console.log(`FAIL ${problem}`);
	console.log(`check:imports: ${problems.length} problem(s) in ${files.length} files`);
	process.exit(1);
}
console.log(
	`PASS check:imports: ${files.length} files, ${edgeCount} imports, no cycle, layers ${LAYERS.join(' < ')}, credential -> leaf only, endpoint paths only in ${ENDPOINT_HOME}`,
);
