// What the e2e run feeds n8n: test images with known "faces" and "plates", the credential, the
// example workflow with its folders pointed at temp folders, and a Celantur Trigger workflow.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { DEFAULT_USER } from '../emulator';
import { makeTestImage, type PlacedObject, type Region } from '../emulator/images';

export const CREDENTIAL = {
	id: 'celantur-demo',
	name: 'Celantur account',
	type: 'celanturApi',
} as const;
/** Workflow ids: n8n's are 16 alphanumerics. */
export const FOLDER_WORKFLOW_ID = 'celanturE2eFlow1';
export const TRIGGER_WORKFLOW_ID = 'celanturE2eTrig1';
export const TRIGGER_WEBHOOK_ID = '5f1c6a2e-8d4b-4c1e-9a7f-3b2d1e0c9f81';
export const NODE_TYPE = 'n8n-nodes-celantur.celantur';
export const TRIGGER_TYPE = 'n8n-nodes-celantur.celanturTrigger';

export interface TestImage {
	name: string;
	format: 'jpeg' | 'png';
	width: number;
	height: number;
	objects: PlacedObject[];
}

/** Objects sit right of x = 140: the strip FAR is touched by no object, blur kernel or gradient. */
export const FAR: Region = { x: 0, y: 0, width: 80, height: 240 };

export const TEST_IMAGES: TestImage[] = [
	{
		name: 'street-1.jpg',
		format: 'jpeg',
		width: 320,
		height: 240,
		objects: [
			{ type: 'face', x: 160, y: 40, width: 64, height: 72 },
			{ type: 'license_plate', x: 220, y: 170, width: 80, height: 26 },
		],
	},
	{
		name: 'street-2.png',
		format: 'png',
		width: 320,
		height: 240,
		objects: [{ type: 'face', x: 200, y: 60, width: 80, height: 90 }],
	},
	{
		name: 'crossing.jpg',
		format: 'jpeg',
		width: 320,
		height: 240,
		objects: [
			{ type: 'license_plate', x: 150, y: 120, width: 100, height: 30 },
			{ type: 'face', x: 260, y: 20, width: 48, height: 56 },
		],
	},
	{
		name: 'portrait.png',
		format: 'png',
		width: 320,
		height: 240,
		objects: [{ type: 'face', x: 150, y: 50, width: 120, height: 140 }],
	},
	{
		name: 'parking.jpg',
		format: 'jpeg',
		width: 320,
		height: 240,
		objects: [
			{ type: 'license_plate', x: 160, y: 180, width: 90, height: 28 },
			{ type: 'license_plate', x: 240, y: 100, width: 70, height: 24 },
		],
	},
	{
		name: 'group.png',
		format: 'png',
		width: 320,
		height: 240,
		objects: [
			{ type: 'face', x: 150, y: 30, width: 50, height: 60 },
			{ type: 'face', x: 220, y: 30, width: 50, height: 60 },
			{ type: 'face', x: 270, y: 140, width: 40, height: 50 },
		],
	},
];

export function renderImage(image: TestImage, seed: number): Buffer {
	return makeTestImage({
		format: image.format,
		width: image.width,
		height: image.height,
		objects: image.objects,
		seed,
	});
}

/** A text file under an image's name, as ends up in real folders: the example must list it as failed and carry on. */
export const NOT_AN_IMAGE = {
	name: 'meeting-notes.jpg',
	text: 'Meeting notes, saved under the wrong name.\n',
} as const;

export function writeNotAnImage(dir: string): void {
	writeFileSync(path.join(dir, NOT_AN_IMAGE.name), NOT_AN_IMAGE.text);
}

/** Writes the test images into `dir`; returns name -> bytes. */
export function writeImages(dir: string): Map<string, Buffer> {
	const written = new Map<string, Buffer>();
	TEST_IMAGES.forEach((image, index) => {
		const bytes = renderImage(image, index + 1);
		writeFileSync(path.join(dir, image.name), bytes);
		written.set(image.name, bytes);
	});
	return written;
}

/** The middle half of an object: its textured inside, which anonymization must change. */
export function inner(object: PlacedObject): Region {
	return {
		x: object.x + object.width / 4,
		y: object.y + object.height / 4,
		width: object.width / 2,
		height: object.height / 2,
	};
}

/** The credential as `n8n import:credentials` takes it: `data` decrypted, n8n encrypts it. */
export function writeCredentialFile(
	file: string,
	baseUrl: string,
	password: string = DEFAULT_USER.password,
	name: string = CREDENTIAL.name,
): void {
	const credential = {
		...CREDENTIAL,
		name,
		data: { email: DEFAULT_USER.username, password, baseUrl },
	};
	writeFileSync(file, JSON.stringify([credential], null, 2));
}

/** examples/folder-to-folder.json as a user imports it, with its folders replaced. */
export function writeFolderWorkflow(
	file: string,
	example: string,
	inputDir: string,
	outputDir: string,
): void {
	const text = readFileSync(example, 'utf8')
		.split('/home/node/.n8n-files/in')
		.join(inputDir)
		.split('/home/node/.n8n-files/out')
		.join(outputDir);
	const workflow = JSON.parse(text) as Record<string, unknown>;
	writeFileSync(
		file,
		JSON.stringify({ ...workflow, id: FOLDER_WORKFLOW_ID, active: false }, null, 2),
	);
}

/** A Celantur Trigger (verify the task, download the result) followed by a No Operation node. */
export function writeTriggerWorkflow(file: string): void {
	const workflow = {
		id: TRIGGER_WORKFLOW_ID,
		name: 'Celantur: on task done',
		active: false,
		nodes: [
			{
				parameters: { verifyTask: true, downloadResult: true },
				id: '0b7e2d4c-1f3a-4e5b-8c6d-7e8f9a0b1c21',
				name: 'Celantur Trigger',
				type: TRIGGER_TYPE,
				typeVersion: 1,
				position: [0, 0],
				webhookId: TRIGGER_WEBHOOK_ID,
				credentials: { celanturApi: { id: CREDENTIAL.id, name: CREDENTIAL.name } },
			},
			{
				parameters: {},
				id: '0b7e2d4c-1f3a-4e5b-8c6d-7e8f9a0b1c22',
				name: 'Done',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [220, 0],
			},
		],
		connections: { 'Celantur Trigger': { main: [[{ node: 'Done', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
	writeFileSync(file, JSON.stringify(workflow, null, 2));
}
