// What the AI steps (agent, mcp) share in one n8n: the fake model server, the image host (the
// first test image, a JPEG, as a link) and the three credentials, imported once. Made by the first
// AI step that runs; closed when the version's run ends (E2eContext.cleanups).
import { randomBytes } from 'node:crypto';
import path from 'node:path';

import { writeAiCredentials } from './ai-fixtures';
import type { E2eContext } from './context';
import { startFakeOpenAi, type FakeOpenAi } from './fake-openai';
import { TEST_IMAGES, type TestImage } from './fixtures';
import { startImageHost, type ImageHost } from './image-host';
import type { N8nInstance } from './n8n-instance';

export interface AiSetup {
	model: FakeOpenAi;
	images: ImageHost;
	/** The JPEG the links point at, and its bytes. */
	image: TestImage;
	original: Buffer;
	/** A link to it, and one that answers 404 (with a query string the error must not repeat). */
	goodLink: string;
	badLink: string;
	bearerToken: string;
}

/** The part of a context the AI set-up needs (the queue-mode context has it too). */
export interface AiSetupHost {
	work: string;
	images: Map<string, Buffer>;
	emulator: E2eContext['emulator'];
	cleanups: Array<() => Promise<void>>;
}

const made = new WeakMap<object, Promise<AiSetup>>();

export function aiSetup(ctx: AiSetupHost, n8n: N8nInstance): Promise<AiSetup> {
	let setup = made.get(ctx);
	if (!setup) {
		setup = create(ctx, n8n);
		made.set(ctx, setup);
	}
	return setup;
}

async function create(ctx: AiSetupHost, n8n: N8nInstance): Promise<AiSetup> {
	const image = TEST_IMAGES.find(
		(candidate) => candidate.format === 'jpeg' && candidate.objects.some((o) => o.type === 'face'),
	);
	const original = image && ctx.images.get(image.name);
	if (!image || !original) throw new Error('no JPEG test image with a face');
	const model = await startFakeOpenAi();
	ctx.cleanups.push(() => model.close());
	const images = await startImageHost(new Map([[image.name, original]]));
	ctx.cleanups.push(() => images.close());
	const bearerToken = randomBytes(18).toString('hex');
	const file = path.join(ctx.work, 'ai-credentials.json');
	writeAiCredentials(file, { celantur: ctx.emulator.baseUrl, openAi: model.url }, bearerToken);
	await n8n.mustCli(
		['import:credentials', `--input=${file}`],
		/Successfully imported 3 credentials/,
	);
	return {
		model,
		images,
		image,
		original,
		goodLink: images.link(image.name),
		badLink: `${images.link('missing.jpg')}?signature=e2e-secret-query`,
		bearerToken,
	};
}
