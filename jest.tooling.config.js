// `npm run test:tooling`: the check scripts (lint, scan, check:compat, check:release,
// check:imports) against copies of this package with faults planted in them.
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
	...base,
	roots: ['<rootDir>/test/tooling'],
	testPathIgnorePatterns: ['/node_modules/'],
};
