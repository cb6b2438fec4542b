// Sample images written to a temp folder, for workflows that read files.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { makeTestImage, type PlacedObject } from '../emulator/images';

export const STREET_OBJECTS: PlacedObject[] = [
	{ type: 'face', x: 40, y: 30, width: 48, height: 56 },
	{ type: 'license_plate', x: 150, y: 140, width: 72, height: 24 },
];

/** A region well away from every object in STREET_OBJECTS, to prove nothing changed there. */
export const UNTOUCHED_REGION = { x: 250, y: 10, width: 50, height: 40 };

export interface ImageFolder {
	dir: string;
	write(name: string, bytes: Buffer): string;
	remove(): void;
}

export function imageFolder(prefix = 'celantur-test-'): ImageFolder {
	const dir = mkdtempSync(join(tmpdir(), prefix));
	return {
		dir,
		write: (name, bytes) => {
			const path = join(dir, name);
			writeFileSync(path, bytes);
			return path;
		},
		remove: () => rmSync(dir, { recursive: true, force: true }),
	};
}

/** An imageFolder() made before the block's tests (beforeAll) and removed after them (afterAll). */
export function useImageFolder(prefix?: string): Pick<ImageFolder, 'dir' | 'write'> {
	let folder: ImageFolder | undefined;
	beforeAll(() => {
		folder = imageFolder(prefix);
	});
	afterAll(() => {
		folder?.remove();
		folder = undefined;
	});
	const made = () => {
		if (!folder)
			throw new Error('useImageFolder(): use the folder inside a test or hook, after beforeAll');
		return folder;
	};
	return {
		get dir() {
			return made().dir;
		},
		write: (name, bytes) => made().write(name, bytes),
	};
}

export function streetImage(format: 'jpeg' | 'png', seed = 1): Buffer {
	return makeTestImage({ format, width: 320, height: 200, objects: STREET_OBJECTS, seed });
}

/** `count` copies of the street image written to the folder, as a file-reading node lists them. */
export function writeStreetImages(
	folder: Pick<ImageFolder, 'write'>,
	count: number,
	format: 'jpeg' | 'png',
): Array<{ path: string; mimeType: string }> {
	const image = streetImage(format);
	const extension = format === 'jpeg' ? 'jpg' : 'png';
	return Array.from({ length: count }, (_, n) => ({
		path: folder.write(`street-${n}.${extension}`, image),
		mimeType: `image/${format}`,
	}));
}
