/** @type {import('jest').Config} */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	// `npm test` is the quick loop: the product against the bundled emulator on loopback, with no
	// install and no network. test/tooling/ runs the check scripts, which install n8n's tools and
	// n8n-workflow versions into the cache: `npm run test:tooling` (jest.tooling.config.js).
	testPathIgnorePatterns: ['/node_modules/', '/test/e2e/', '/test/tooling/'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	// A guard against hangs, not a speed limit: tests wait on events (the emulator's clock, its
	// status and request events), so on a busy machine they take longer but do not fail; a wait
	// that never ends still fails here.
	testTimeout: 300000,
	maxWorkers: 2,
};
