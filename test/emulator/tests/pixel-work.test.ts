import { startEmulator, type Emulator } from '../index';
import { makeTestImage } from '../images';
import { http, obj, signIn } from '../testkit';

describe('emulator knob pixelWork', () => {
	let emulator: Emulator;

	afterEach(async () => {
		await emulator.close();
	});

	async function roundTrip(
		pixelWork: 'real' | 'copy',
	): Promise<{ original: Buffer; result: Buffer }> {
		emulator = await startEmulator({ pixelWork });
		const token = await signIn(emulator);
		const original = makeTestImage({
			format: 'png',
			width: 120,
			height: 80,
			objects: [{ type: 'face', x: 20, y: 10, width: 40, height: 48 }],
		});
		const task = obj(
			(
				await http('POST', `${emulator.baseUrl}/task`, {
					token,
					body: { anonymization_method: 'blacken', face: true },
				})
			).json,
		);
		await http('PUT', String(task.upload_url), {
			body: original,
			headers: { 'content-type': 'image/png' },
		});
		await emulator.waitForTask(Number(task.task_id), 'done');
		const status = obj(
			(await http('GET', `${emulator.baseUrl}/task/${String(task.task_id)}/status`, { token }))
				.json,
		);
		const result = (await http('GET', String(status.anonymized_url))).body;
		return { original, result };
	}

	it("'copy' returns the upload unchanged, for benchmarks of the client", async () => {
		const { original, result } = await roundTrip('copy');
		expect(result.equals(original)).toBe(true);
	});

	it("'real' (the default) changes the pixels", async () => {
		const { original, result } = await roundTrip('real');
		expect(result.equals(original)).toBe(false);
	});
});
