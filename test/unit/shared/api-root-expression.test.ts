// The credential's test request cannot call apiRoot (n8n resolves it as an expression), so its
// baseURL is apiRoot written as an expression. n8n's own expression engine must give exactly what
// apiRoot gives, for any Base URL a person may type.
import fc from 'fast-check';
import type { INodeTypes } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { CelanturApi } from '../../../credentials/CelanturApi.credentials';
import { apiRoot, DEFAULT_BASE_URL } from '../../../nodes/shared/api';
import { MANUAL_START_TYPE, testNodeTypes } from '../../nodes';

const types = testNodeTypes();
const nodeTypes = {
	getByName: (type: string) => types[type],
	getByNameAndVersion: (type: string) => types[type],
	getKnownTypes: () => ({}),
} as unknown as INodeTypes;
const node = {
	id: 'n',
	name: 'Start',
	type: MANUAL_START_TYPE,
	typeVersion: 1,
	position: [0, 0] as [number, number],
	parameters: {},
};
const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
const testBaseUrl = new CelanturApi().test.request.baseURL as string;

/** The credential test's baseURL as n8n resolves it for a credential with this Base URL. */
const resolved = (baseUrl: string | undefined): unknown =>
	workflow.expression.getSimpleParameterValue(
		node,
		testBaseUrl,
		'internal',
		{ $credentials: { baseUrl } },
		undefined,
		'',
	);

describe('the credential test request’s API root', () => {
	it('is apiRoot for the Base URLs people type', () => {
		const typed = [
			undefined,
			'',
			'   ',
			DEFAULT_BASE_URL,
			`${DEFAULT_BASE_URL}/`,
			` ${DEFAULT_BASE_URL}// `,
			'http://127.0.0.1:8080/v2///',
			'https://eu.example.test',
			'/',
			'///',
		];
		for (const baseUrl of typed)
			expect([baseUrl, resolved(baseUrl)]).toEqual([baseUrl, apiRoot(baseUrl)]);
		expect(resolved(' https://eu.example.test/v2/ ')).toBe('https://eu.example.test/v2');
	});

	it('is apiRoot for any text', () => {
		const text = fc.oneof(
			fc.string(),
			fc.stringMatching(/^[ \t]*(https?:\/\/[a-z.]{1,12}(:\d{2,4})?)?(\/[a-z0-9]{0,4})*\/*[ \t]*$/),
		);
		fc.assert(
			fc.property(text, (baseUrl) => resolved(baseUrl) === apiRoot(baseUrl)),
			{ numRuns: 300 },
		);
	});
});
