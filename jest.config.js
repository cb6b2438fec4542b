/** @type {import('jest').Config} */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/', '/test/e2e/'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	// A guard against hangs, not a speed limit: tests wait on events (the emulator's clock, its
	// status and request events), so on a busy machine they take longer but do not fail; a wait
	// that never ends still fails here.
	testTimeout: 300000,
	maxWorkers: 2,
};
