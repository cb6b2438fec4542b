import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { CelanturApi } from '../../credentials/CelanturApi.credentials';
import { Celantur } from '../../nodes/Celantur/Celantur.node';
import { CelanturTrigger } from '../../nodes/CelanturTrigger/CelanturTrigger.node';
import { MANUAL_START_TYPE, node, workflow } from '../harness';
import { celanturNode, useCelanturEnv } from '../support/celantur-env';

const README = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
const REPO = 'https://github.com/celantur/n8n-nodes-celantur#';

/** GitHub's anchor for a README heading. */
const anchor = (heading: string): string =>
	heading
		.trim()
		.toLowerCase()
		.replace(/[^a-z0-9 -]/g, '')
		.replace(/ /g, '-');
const anchors = new Set([...README.matchAll(/^#{2,3} (.+)$/gm)].map((match) => anchor(match[1])));

const codex = (file: string) =>
	JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'nodes', file), 'utf8')) as {
		resources: Record<string, Array<{ url: string }>>;
	};

describe('what the editor shows', () => {
	const action = new Celantur().description;
	const trigger = new CelanturTrigger().description;
	const property = (properties: INodeProperties[], name: string) =>
		properties.find((p) => p.name === name)!;

	it('the canvas subtitle is the operation’s action, not its value', () => {
		const map = JSON.parse(
			/^=\{\{ (\{.*\})\[\$parameter\["operation"\]\]/.exec(String(action.subtitle))![1],
		) as Record<string, string>;
		expect(map.create).toBe('Anonymize an image');
		expect(map.getStatus).toBe('Get the status of a task');
		expect(map.__CUSTOM_API_CALL__).toBe('Custom API Call');
		const operations = property(action.properties, 'operation').options as INodePropertyOptions[];
		for (const option of operations) expect(map[String(option.value)]).toBe(option.action);
	});

	it('the trigger has a named event for the node panel, and its notice says Publish and how to try it with the Test URL', () => {
		const event = property(trigger.properties, 'event').options as INodePropertyOptions[];
		expect(event.map((option) => option.action)).toEqual([
			'When an image is anonymized (task done)',
		]);
		const notice = property(trigger.properties, 'setupNotice').displayName;
		expect(notice).toContain('1. Publish this workflow');
		expect(notice).toContain('click "Listen for test event"');
		expect(notice).toContain('copy the Test URL');
		expect(notice).not.toMatch(/activate/i);
		// n8n's node panel gives the merged Celantur entry the trigger's description.
		expect(trigger.description).toMatch(/^Anonymize faces, people, license plates and vehicles/);
	});

	it('every object to anonymize is described, and Download Result explains why the trigger differs', () => {
		const objects = property(action.properties, 'objects').options as INodePropertyOptions[];
		for (const object of objects) expect(object.description).toEqual(expect.any(String));
		expect(property(action.properties, 'downloadResult').description).toContain(
			'the Celantur Trigger has it off',
		);
		expect(property(trigger.properties, 'downloadResult').description).toContain(
			'unlike in the Celantur node',
		);
	});

	it('Get Many’s date filters say they filter by UTC day', () => {
		const filters = property(action.properties, 'filters').options as INodeProperties[];
		expect(filters.filter((f) => f.type === 'dateTime').map((f) => f.displayName)).toEqual([
			'Created After (UTC Day)',
			'Created Before (UTC Day)',
		]);
	});

	it('docs links lead to the README section of each node and of the credential', () => {
		const links = [
			[
				codex('Celantur/Celantur.node.json').resources.primaryDocumentation[0].url,
				'operations-celantur-node',
			],
			[
				codex('CelanturTrigger/CelanturTrigger.node.json').resources.primaryDocumentation[0].url,
				'trigger-celantur-trigger',
			],
			[codex('Celantur/Celantur.node.json').resources.credentialDocumentation[0].url, 'credential'],
			[new CelanturApi().documentationUrl, 'credential'],
		];
		for (const [url, section] of links) {
			expect(url).toBe(`${REPO}${section}`);
			expect(anchors.has(section)).toBe(true);
		}
	});
});

describe('Custom API Call, which n8n adds to the node because its credential can be lent to the HTTP Request node', () => {
	const env = useCelanturEnv();

	it.each([
		['operation', { operation: '__CUSTOM_API_CALL__' }],
		['resource', { resource: '__CUSTOM_API_CALL__' }],
	])(
		'picked as %s, it says to use the HTTP Request node with this credential, and sends nothing',
		async (_, parameters) => {
			const before = env.emulator.log.length;
			const result = await env.harness.run(
				workflow([node('Start', MANUAL_START_TYPE), celanturNode('Celantur', parameters)]),
			);
			expect(result.error?.message).toBe(
				'Custom API Call is done with the HTTP Request node, not with this one',
			);
			const description = String(
				(result.error as { description?: unknown } | undefined)?.description,
			);
			expect(description).toContain('Predefined Credential Type');
			expect(description).toContain('Celantur API');
			expect(env.emulator.log.length).toBe(before);
		},
	);
});

describe('old wording is gone from the shipped code', () => {
	const shipped = (dir: string): string[] =>
		readdirSync(dir, { recursive: true, withFileTypes: true })
			.filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
			.map((entry) => readFileSync(path.join(entry.parentPath, entry.name), 'utf8'));
	const source = [
		...shipped(path.join(__dirname, '..', '..', 'nodes')),
		...shipped(path.join(__dirname, '..', '..', 'credentials')),
	].join('\n');

	it.each([
		['0-based item numbers', /counting from 0|Item \$\{itemIndex\}:/],
		['"… by name" for a MIME type', /by name`/],
		['nested quotes around a labelled field', /`"\$\{field\}"/],
		['"activate" for publishing a workflow', /activate this workflow/],
		['an internal error for an unknown operation', /is not known to this version/],
	])('%s', (_, pattern) => {
		expect(source).not.toMatch(pattern);
	});
});
