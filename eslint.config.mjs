// Shipped code (nodes/, credentials/, package.json) is held to n8n's community-node rules with
// n8n Cloud support; tests and tooling only get typescript-eslint, since they may use Node APIs.
import tseslint from 'typescript-eslint';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';

const shipped = ['nodes/**/*.ts', 'credentials/**/*.ts'];
const tooling = ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'];

export default tseslint.config(
	{ ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'demo-output/**', '.n8n-e2e/**', '**/*.js', '**/*.mjs'] },
	{
		files: [...shipped, ...tooling],
		extends: [tseslint.configs.recommended],
		rules: {
			'@typescript-eslint/no-explicit-any': 'error',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
		},
	},
	{
		files: [...shipped, 'package.json'],
		languageOptions: { parser: tseslint.parser },
		...n8nCommunityNodesPlugin.configs.recommended,
	},
);
