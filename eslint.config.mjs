// Shipped code (nodes/, credentials/, package.json) is held to exactly the rules n8n's package
// scanner applies before verification; tests and tooling only get typescript-eslint, since they
// may use Node APIs. The scanner's config comes from the scanner itself (pinned, in the cache of
// scripts/n8n-tools.mjs), so `npm run lint` and `npm run scan` cannot drift. Loading this file
// installs nothing: `npm run lint` installs the scanner first; elsewhere a missing scanner is an
// error that names the command to run.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import tseslint from 'typescript-eslint';

import { locateTool } from './scripts/n8n-tools.mjs';

// eslint-plugin-n8n-nodes-base reads NODE_ENV=test (as jest sets it) as "lint my own fixtures" and
// then judges file names differently: lint must see what n8n's scanner sees.
if (process.env.NODE_ENV === 'test') delete process.env.NODE_ENV;

const scannerModule = join(
	locateTool('scanner'),
	'node_modules',
	'@n8n',
	'scan-community-package',
	'scanner',
	'scanner.mjs',
);
const { buildScanConfig, SOURCE_FILE_PATTERNS } = await import(pathToFileURL(scannerModule).href);

const shipped = ['nodes/**/*.ts', 'credentials/**/*.ts'];
const tooling = ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'];

/**
 * Each scanner entry, confined to the files the scanner reads in a source checkout: an inner
 * array in `files` means every pattern must match, so test/nodes/*.node.ts (a `**\/nodes/**` match
 * that never ships) stays out, and so does any JSON outside nodes/ and credentials/.
 */
function onScannedFilesOnly(entry) {
	const files = entry.files
		? entry.files.flatMap((own) => SOURCE_FILE_PATTERNS.map((scanned) => [own, scanned]))
		: SOURCE_FILE_PATTERNS;
	return { ...entry, files };
}

export default tseslint.config(
	{
		ignores: [
			'dist/**',
			'node_modules/**',
			'coverage/**',
			'demo-output/**',
			'.n8n-e2e/**',
			'**/*.js',
			'**/*.mjs',
		],
	},
	{
		files: [...shipped, ...tooling],
		extends: [tseslint.configs.recommended],
		rules: {
			'@typescript-eslint/no-explicit-any': 'error',
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
			],
		},
	},
	...(await buildScanConfig()).map(onScannedFilesOnly),
);
