import { MANUAL_START_TYPE, node, workflow } from '../../harness';
import { regionDiff } from '../../emulator/images';
import { celanturNode, fixtureNode, useCelanturEnv } from '../../support/celantur-env';
import { streetImage, STREET_OBJECTS } from '../../support/images';

// n8n can keep binary data in memory instead of on disk; the node reads and writes it either way.
describe('Celantur create with n8n’s in-memory binary data mode', () => {
	const env = useCelanturEnv({ binaryMode: 'default' });

	it('anonymizes an image held in memory, and refuses a truncated one before any request', async () => {
		const png = streetImage('png', 61);
		const result = await env.harness.run(
			workflow([
				node('Start', MANUAL_START_TYPE),
				fixtureNode('Read', [
					{ base64: png.toString('base64'), mimeType: 'image/png', fileName: 'mem.png' },
					{
						base64: png.subarray(0, 500).toString('base64'),
						mimeType: 'image/png',
						fileName: 'short.png',
					},
				]),
				{
					...celanturNode('Anonymize', {
						operation: 'create',
						anonymizationMethod: 'pixelate',
						objects: ['face', 'licensePlate'],
						options: { pollInterval: 0.2 },
					}),
					onError: 'continueRegularOutput',
				},
			]),
		);
		const [ok, cut] = result.output('Anonymize');
		expect(ok.binary?.anonymized.id).toBeUndefined();
		expect(ok.binary?.anonymized.fileName).toBe('mem-anonymized.png');
		const output = await result.binary(ok, 'anonymized');
		for (const object of STREET_OBJECTS) expect(regionDiff(png, output, object)).toBeGreaterThan(8);
		expect(cut.json.error).toMatch(/short\.png.*truncated/);
		expect(env.emulator.tasksCreated()).toBe(1);
	});
});
