// Real pixels: detection of the colour-keyed test objects, anonymization, settings and masks.
import { decodeImage, makeTestImage, regionDiff, type PlacedObject, type Region } from '../images';
import { download, http, obj, runTask, useEmulator, type JsonObject } from '../testkit';

const FACE: PlacedObject = { type: 'face', x: 40, y: 40, width: 80, height: 80 };
const PLATE: PlacedObject = { type: 'license_plate', x: 200, y: 40, width: 80, height: 24 };
const PERSON: PlacedObject = { type: 'person', x: 40, y: 150, width: 60, height: 80 };
const VEHICLE: PlacedObject = { type: 'vehicle', x: 180, y: 120, width: 120, height: 100 };
const ALL = [FACE, PLATE, PERSON, VEHICLE];
const SCENE = makeTestImage({ format: 'png', width: 320, height: 240, objects: ALL, seed: 5 });

/** The middle half of an object: inside the frame, where its textured inside is. */
const inner = (o: PlacedObject): Region => ({
	x: o.x + o.width / 4,
	y: o.y + o.height / 4,
	width: o.width / 2,
	height: o.height / 2,
});
/** A strip of background touched by no object, gradient or kernel. */
const FAR: Region = { x: 135, y: 0, width: 45, height: 30 };

describe('emulator: pixels', () => {
	const env = useEmulator({ latency: { queuedMs: 0, processingMs: 0 } });

	const anonymize = async (
		body: JsonObject,
		image = SCENE,
	): Promise<{ task: JsonObject; out: Buffer }> => {
		const task = await runTask(env.emu, env.token, body, image);
		expect(task.task_status).toBe('done');
		const response = await download(String(task.anonymized_url));
		expect(response.status).toBe(200);
		return { task, out: response.body };
	};
	const detections = async (task: JsonObject): Promise<JsonObject[]> => {
		const response = await http('GET', `${env.emu.baseUrl}/task/${task.task_id}/metadata`, {
			token: env.token,
		});
		if (response.status === 204) return [];
		return obj(response.json).detections as JsonObject[];
	};
	const pixel = (png: Buffer, x: number, y: number): number[] => {
		const image = decodeImage(png);
		const i = (y * image.width + x) * 4;
		return [image.data[i], image.data[i + 1], image.data[i + 2]];
	};

	describe('test images', () => {
		it('are deterministic per seed and textured', () => {
			const a = makeTestImage({
				format: 'png',
				width: 64,
				height: 64,
				objects: [FACE].map((o) => ({ ...o, x: 4, y: 4, width: 40, height: 40 })),
				seed: 1,
			});
			const b = makeTestImage({
				format: 'png',
				width: 64,
				height: 64,
				objects: [FACE].map((o) => ({ ...o, x: 4, y: 4, width: 40, height: 40 })),
				seed: 1,
			});
			const c = makeTestImage({
				format: 'png',
				width: 64,
				height: 64,
				objects: [FACE].map((o) => ({ ...o, x: 4, y: 4, width: 40, height: 40 })),
				seed: 2,
			});
			expect(Buffer.compare(a, b)).toBe(0);
			expect(regionDiff(a, c, { x: 0, y: 0, width: 64, height: 64 })).toBeGreaterThan(5);
			const { data } = decodeImage(SCENE);
			const values: number[] = [];
			for (let y = 0; y < 30; y++)
				for (let x = 135; x < 180; x++) values.push(data[(y * 320 + x) * 4 + 1]);
			const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
			const spread = Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length);
			expect(spread).toBeGreaterThan(8);
		});

		it('refuses objects outside the image or too small, and sizes that differ in regionDiff', () => {
			expect(() =>
				makeTestImage({ format: 'png', width: 50, height: 50, objects: [{ ...FACE }] }),
			).toThrow('not inside');
			expect(() =>
				makeTestImage({
					format: 'png',
					width: 50,
					height: 50,
					objects: [{ type: 'face', x: 0, y: 0, width: 8, height: 8 }],
				}),
			).toThrow('at least');
			const small = makeTestImage({ format: 'png', width: 10, height: 10, objects: [] });
			expect(() => regionDiff(SCENE, small, FAR)).toThrow('sizes differ');
		});

		it('can be padded to a large file that decodes to the same pixels', () => {
			for (const format of ['png', 'jpeg'] as const) {
				const plain = makeTestImage({ format, width: 64, height: 48, objects: [], seed: 3 });
				const padded = makeTestImage({
					format,
					width: 64,
					height: 48,
					objects: [],
					seed: 3,
					padToBytes: 300_000,
				});
				expect(padded.length).toBeGreaterThanOrEqual(300_000);
				expect(decodeImage(padded).data.equals(decodeImage(plain).data)).toBe(true);
			}
		});
	});

	describe('detection', () => {
		it('finds every placed object with its box, type and score (PNG: exact)', async () => {
			const scored = ALL.map((o, i) => ({ ...o, score: [0.91, 0.67, 0.45, 0.83][i] }));
			const image = makeTestImage({
				format: 'png',
				width: 320,
				height: 240,
				objects: scored,
				seed: 9,
			});
			const { task } = await anonymize(
				{
					anonymization_method: 'blur',
					face: true,
					'license-plate': true,
					person: true,
					vehicle: true,
				},
				image,
			);
			const found = await detections(task);
			expect(found).toHaveLength(4);
			const byLabel = new Map(found.map((d) => [d.type_label, d]));
			const codes: Record<string, number> = {
				face: 103,
				license_plate: 104,
				person: 101,
				vehicle: 102,
			};
			for (const placed of scored) {
				expect(byLabel.get(placed.type)).toEqual({
					score: placed.score,
					offset: [0, 0],
					color: null,
					bbox: [placed.x, placed.y, placed.x + placed.width, placed.y + placed.height],
					parent_image: '',
					id: expect.any(Number),
					type_label: placed.type,
					type: codes[placed.type],
					is_anonymised: true,
				});
			}
			expect(found.map((d) => d.id)).toEqual([0, 1, 2, 3]);
		});

		it('finds objects through JPEG compression (boxes within 2 px, scores within 0.02)', async () => {
			const scored = ALL.map((o, i) => ({ ...o, score: [0.91, 0.67, 0.45, 0.83][i] }));
			const image = makeTestImage({
				format: 'jpeg',
				quality: 75,
				width: 320,
				height: 240,
				objects: scored,
				seed: 9,
			});
			const { task } = await anonymize(
				{
					anonymization_method: 'blur',
					face: true,
					'license-plate': true,
					person: true,
					vehicle: true,
				},
				image,
			);
			const found = await detections(task);
			expect(found.map((d) => d.type_label).sort()).toEqual([
				'face',
				'license_plate',
				'person',
				'vehicle',
			]);
			for (const placed of scored) {
				const hit = found.find((d) => d.type_label === placed.type);
				const [x1, y1, x2, y2] = hit?.bbox as number[];
				const expected = [placed.x, placed.y, placed.x + placed.width, placed.y + placed.height];
				[x1, y1, x2, y2].forEach((value, i) =>
					expect(Math.abs(value - expected[i])).toBeLessThanOrEqual(2),
				);
				expect(Math.abs(Number(hit?.score) - (placed.score ?? 0))).toBeLessThanOrEqual(0.02);
			}
		});
	});

	describe('anonymization methods', () => {
		it.each(['blur', 'pixelate', 'blacken'])(
			'%s changes pixels inside the object and none far outside (PNG)',
			async (method) => {
				const { out } = await anonymize({ anonymization_method: method, face: true });
				expect(regionDiff(SCENE, out, inner(FACE))).toBeGreaterThan(25);
				expect(regionDiff(SCENE, out, FAR)).toBe(0);
				// Objects of types not asked for are untouched.
				for (const other of [PLATE, PERSON, VEHICLE]) expect(regionDiff(SCENE, out, other)).toBe(0);
			},
		);

		it.each(['blur', 'pixelate', 'blacken'])(
			'%s on a JPEG changes the object, and the rest only by re-encoding',
			async (method) => {
				const jpeg = makeTestImage({
					format: 'jpeg',
					width: 320,
					height: 240,
					objects: ALL,
					seed: 5,
				});
				const { out } = await anonymize({ anonymization_method: method, face: true }, jpeg);
				expect(decodeImage(out).format).toBe('jpeg');
				expect(regionDiff(jpeg, out, inner(FACE))).toBeGreaterThan(25);
				expect(regionDiff(jpeg, out, FAR)).toBeLessThan(4);
			},
		);

		it('blacken makes the object black; pixelate makes flat blocks', async () => {
			const black = await anonymize({ anonymization_method: 'blacken', person: true });
			expect(pixel(black.out, PERSON.x + 30, PERSON.y + 40)).toEqual([0, 0, 0]);
			const pixelated = await anonymize({
				anonymization_method: 'pixelate',
				person: true,
				'kernel-size-person': 40,
			});
			// Kernel 41 px -> blocks of 10 px anchored at the box's corner: 20..29 is one block.
			const block = [20, 21, 25, 29].map((d) => pixel(pixelated.out, PERSON.x + d, PERSON.y + 30));
			expect(new Set(block.map((p) => p.join(','))).size).toBe(1);
			expect(pixel(pixelated.out, PERSON.x + 30, PERSON.y + 30)).not.toEqual(block[0]);
		});
	});

	describe('settings', () => {
		it('bbox: true covers the whole box; otherwise the ellipse inside it leaves the corners', async () => {
			const corner: Region = { x: PERSON.x + 1, y: PERSON.y + 1, width: 5, height: 5 };
			const ellipse = await anonymize({ anonymization_method: 'blacken', person: true });
			const box = await anonymize({ anonymization_method: 'blacken', person: true, bbox: true });
			expect(regionDiff(SCENE, ellipse.out, corner)).toBe(0);
			expect(regionDiff(SCENE, box.out, corner)).toBeGreaterThan(50);
			expect(pixel(box.out, PERSON.x + 1, PERSON.y + 1)).toEqual([0, 0, 0]);
			for (const result of [ellipse, box])
				expect(regionDiff(SCENE, result.out, inner(PERSON))).toBeGreaterThan(50);
		});

		it('ignores: nothing changes inside an ignore area; a wholly ignored object is not anonymised', async () => {
			const second: PlacedObject = { type: 'face', x: 200, y: 120, width: 80, height: 80 };
			const image = makeTestImage({
				format: 'png',
				width: 320,
				height: 240,
				objects: [FACE, second],
				seed: 5,
			});
			const ignores = JSON.stringify([
				{ topLeftX: 20, topLeftY: 20, width: 120, height: 120 },
				{ topLeftX: 200, topLeftY: 100, width: 40, height: 140 },
			]);
			const { task, out } = await anonymize(
				{ anonymization_method: 'blacken', face: true, bbox: true, ignores },
				image,
			);
			expect(regionDiff(image, out, FACE)).toBe(0);
			expect(regionDiff(image, out, { x: 200, y: 120, width: 40, height: 80 })).toBe(0);
			expect(regionDiff(image, out, { x: 240, y: 120, width: 40, height: 80 })).toBeGreaterThan(50);
			const found = await detections(task);
			expect(found.map((d) => [d.bbox, d.is_anonymised])).toEqual([
				[[40, 40, 120, 120], false],
				[[200, 120, 280, 200], true],
			]);
		});

		it.each([
			['face', 'face', 'face_threshold', 0.5],
			['license_plate', 'license-plate', 'license_plate_threshold', 0.5],
			['person', 'person', 'person_threshold', 0.4],
			['vehicle', 'vehicle', 'vehicle_threshold', 0.4],
		] as const)(
			'%s: objects below %s (default %d) are neither anonymized nor reported',
			async (type, flag, threshold, fallback) => {
				const low: PlacedObject = {
					type,
					x: 20,
					y: 20,
					width: 100,
					height: 60,
					score: fallback - 0.1,
				};
				const high: PlacedObject = {
					type,
					x: 180,
					y: 120,
					width: 100,
					height: 60,
					score: fallback + 0.1,
				};
				const image = makeTestImage({
					format: 'png',
					width: 320,
					height: 240,
					objects: [low, high],
					seed: 4,
				});
				const byDefault = await anonymize({ anonymization_method: 'blacken', [flag]: true }, image);
				expect(regionDiff(image, byDefault.out, inner(low))).toBe(0);
				expect(regionDiff(image, byDefault.out, inner(high))).toBeGreaterThan(50);
				expect((await detections(byDefault.task)).map((d) => d.score)).toEqual([high.score]);

				const lowered = await anonymize(
					{ anonymization_method: 'blacken', [flag]: true, [threshold]: fallback - 0.2 },
					image,
				);
				expect(regionDiff(image, lowered.out, inner(low))).toBeGreaterThan(50);
				expect(await detections(lowered.task)).toHaveLength(2);

				const raised = await anonymize(
					{ anonymization_method: 'blacken', [flag]: true, [threshold]: 0.95 },
					image,
				);
				expect(regionDiff(image, raised.out, { x: 0, y: 0, width: 320, height: 240 })).toBe(0);
				expect(
					(
						await http('GET', `${env.emu.baseUrl}/task/${raised.task.task_id}/metadata`, {
							token: env.token,
						})
					).status,
				).toBe(204);
			},
		);

		it.each([
			['face', FACE],
			['license-plate', PLATE],
			['person', PERSON],
			['vehicle', VEHICLE],
		] as const)('only the requested type is anonymized: %s', async (flag, target) => {
			const { task, out } = await anonymize({
				anonymization_method: 'blacken',
				[flag]: true,
				bbox: true,
			});
			for (const object of ALL) {
				const diff = regionDiff(SCENE, out, inner(object));
				if (object === target) expect(diff).toBeGreaterThan(50);
				else expect(diff).toBe(0);
			}
			expect((await detections(task)).map((d) => d.type_label)).toEqual([target.type]);
		});

		it('the kernel size sets the blur strength (pixels, and relative below 1)', async () => {
			const weak = await anonymize({
				anonymization_method: 'blur',
				person: true,
				'kernel-size-person': 3,
			});
			const strong = await anonymize({
				anonymization_method: 'blur',
				person: true,
				'kernel-size-person': 151,
			});
			expect(regionDiff(SCENE, strong.out, inner(PERSON))).toBeGreaterThan(
				regionDiff(SCENE, weak.out, inner(PERSON)) + 10,
			);
			const faceWeak = await anonymize({
				anonymization_method: 'blur',
				face: true,
				'kernel-size-face': 0.05,
			});
			const faceStrong = await anonymize({
				anonymization_method: 'blur',
				face: true,
				'kernel-size-face': 0.9,
			});
			expect(regionDiff(SCENE, faceStrong.out, inner(FACE))).toBeGreaterThan(
				regionDiff(SCENE, faceWeak.out, inner(FACE)) + 10,
			);
		});

		it('the face gradient start blurs beyond the box; 0 keeps the blur inside', async () => {
			const outside: Region = { x: FACE.x - 16, y: FACE.y + 30, width: 12, height: 20 };
			const none = await anonymize({
				anonymization_method: 'blur',
				face: true,
				bbox: true,
				'face-anonymization-gradient-start': 0,
			});
			const wide = await anonymize({
				anonymization_method: 'blur',
				face: true,
				bbox: true,
				'face-anonymization-gradient-start': 1,
			});
			expect(regionDiff(SCENE, none.out, outside)).toBe(0);
			expect(regionDiff(SCENE, wide.out, outside)).toBeGreaterThan(3);
		});

		it('the face gradient stop softens the edge of the blur', async () => {
			const edge: Region = { x: FACE.x + 2, y: FACE.y + 30, width: 6, height: 20 };
			const hard = await anonymize({
				anonymization_method: 'blur',
				face: true,
				bbox: true,
				'face-anonymization-gradient-start': 0,
			});
			const soft = await anonymize({
				anonymization_method: 'blur',
				face: true,
				bbox: true,
				'face-anonymization-gradient-start': 0,
				'face-anonymization-gradient-stop': 1,
			});
			expect(regionDiff(SCENE, soft.out, edge)).toBeLessThan(regionDiff(SCENE, hard.out, edge) / 2);
		});

		it('quality sets the JPEG quality of the result', async () => {
			const jpeg = makeTestImage({
				format: 'jpeg',
				width: 320,
				height: 240,
				objects: ALL,
				seed: 5,
			});
			const low = await anonymize({ anonymization_method: 'blur', face: true, quality: 10 }, jpeg);
			const high = await anonymize({ anonymization_method: 'blur', face: true, quality: 95 }, jpeg);
			expect(low.out.length).toBeLessThan(high.out.length / 2);
			expect(regionDiff(jpeg, low.out, FAR)).toBeGreaterThan(regionDiff(jpeg, high.out, FAR) + 2);
		});

		it('compress-level sets the PNG compression, not the pixels', async () => {
			const stored = await anonymize({
				anonymization_method: 'blur',
				face: true,
				'compress-level': 0,
			});
			const packed = await anonymize({
				anonymization_method: 'blur',
				face: true,
				'compress-level': 9,
			});
			expect(stored.out.length).toBeGreaterThan(packed.out.length);
			expect(stored.out.length).toBeGreaterThan(320 * 240 * 3);
			expect(regionDiff(stored.out, packed.out, { x: 0, y: 0, width: 320, height: 240 })).toBe(0);
		});

		it('debug draws the boxes; score adds a bar whose length is the score', async () => {
			const plain = await anonymize({ anonymization_method: 'blur', vehicle: true });
			const debug = await anonymize({ anonymization_method: 'blur', vehicle: true, debug: true });
			const scored = await anonymize({
				anonymization_method: 'blur',
				vehicle: true,
				debug: true,
				score: true,
			});
			expect(pixel(debug.out, VEHICLE.x, VEHICLE.y + 50)).toEqual([0, 255, 0]);
			expect(pixel(plain.out, VEHICLE.x, VEHICLE.y + 50)).not.toEqual([0, 255, 0]);
			expect(pixel(debug.out, VEHICLE.x + 10, VEHICLE.y - 4)).not.toEqual([255, 255, 0]);
			// Default score 0.9 on a 120 px box: a 108 px bar above it.
			expect(pixel(scored.out, VEHICLE.x + 100, VEHICLE.y - 4)).toEqual([255, 255, 0]);
			expect(pixel(scored.out, VEHICLE.x + 112, VEHICLE.y - 4)).not.toEqual([255, 255, 0]);
		});
	});

	describe('masks', () => {
		const maskOf = async (task: JsonObject, key: string) => {
			const response = await download(String(task[key]));
			expect(response.headers['content-type']).toBe('image/png');
			return decodeImage(response.body);
		};
		const grey = (mask: { width: number; data: Buffer }, x: number, y: number) =>
			mask.data[(y * mask.width + x) * 4];

		it.each([
			[100, 320, 240],
			[50, 160, 120],
			[10, 32, 24],
			[33, 106, 79],
		])('mask-scale %d gives %dx%d masks', async (scale, width, height) => {
			const { task } = await anonymize({
				anonymization_method: 'blur',
				face: true,
				binary_segmentation_mask: true,
				instance_segmentation_mask: true,
				'mask-scale': scale,
			});
			for (const key of ['binary_segmentation_mask_url', 'instance_segmentation_mask_url']) {
				const mask = await maskOf(task, key);
				expect([mask.width, mask.height]).toEqual([width, height]);
			}
		});

		it('the binary mask is white on the anonymized shapes and black elsewhere', async () => {
			const { task } = await anonymize({
				anonymization_method: 'blur',
				face: true,
				person: true,
				binary_segmentation_mask: true,
				'mask-scale': 50,
			});
			const mask = await maskOf(task, 'binary_segmentation_mask_url');
			expect(grey(mask, 40, 40)).toBe(255);
			expect(grey(mask, 35, 95)).toBe(255);
			expect(grey(mask, 150, 10)).toBe(0);
			expect(grey(mask, 110, 20)).toBe(0);
			// Ellipse: the box's corner is not part of the shape.
			expect(grey(mask, 21, 21)).toBe(0);
			const values = new Set<number>();
			for (let i = 0; i < mask.data.length; i += 4) values.add(mask.data[i]);
			expect([...values].sort((a, b) => a - b)).toEqual([0, 255]);

			const boxed = await anonymize({
				anonymization_method: 'blur',
				face: true,
				bbox: true,
				binary_segmentation_mask: true,
				'mask-scale': 50,
			});
			expect(grey(await maskOf(boxed.task, 'binary_segmentation_mask_url'), 21, 21)).toBe(255);
		});

		it('the instance mask gives each object its own grey level', async () => {
			const { task } = await anonymize({
				anonymization_method: 'blur',
				face: true,
				'license-plate': true,
				person: true,
				vehicle: true,
				instance_segmentation_mask: true,
			});
			const mask = await maskOf(task, 'instance_segmentation_mask_url');
			const levels = ALL.map((o) => grey(mask, o.x + o.width / 2, o.y + o.height / 2));
			expect(new Set(levels).size).toBe(4);
			for (const level of levels) expect(level).toBeGreaterThan(0);
			expect(grey(mask, 150, 10)).toBe(0);
		});
	});
});
