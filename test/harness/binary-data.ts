import { Container } from '@n8n/di';
import { BinaryDataConfig, BinaryDataService } from 'n8n-core';
import type { IBinaryData } from 'n8n-workflow';
import { ApplicationError } from 'n8n-workflow';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { BinaryMode } from './types';

/**
 * n8n-core's binary helpers (prepareBinaryData, getBinaryStream, ...) look the service up in the
 * Container on every call, so there is one service per test file: harnesses open at the same
 * time must agree on the mode.
 */
interface SharedBinaryData {
	mode: BinaryMode;
	storagePath: string;
	users: number;
}

let shared: SharedBinaryData | undefined;

export interface BinaryDataHandle {
	mode: BinaryMode;
	read(binary: IBinaryData): Promise<Buffer>;
	release(): void;
}

export async function acquireBinaryData(mode: BinaryMode): Promise<BinaryDataHandle> {
	if (shared && shared.mode !== mode) {
		throw new ApplicationError(
			`A harness with binaryMode "${shared.mode}" is still open in this test file; close it before creating one with "${mode}".`,
		);
	}
	if (!shared) {
		const storagePath = mkdtempSync(path.join(tmpdir(), 'n8n-harness-binary-'));
		// The config is read by init(), so re-initialising switches mode and directory.
		const config = Container.get(BinaryDataConfig);
		config.mode = mode;
		config.localStoragePath = storagePath;
		await Container.get(BinaryDataService).init();
		shared = { mode, storagePath, users: 0 };
	}
	const current = shared;
	current.users += 1;
	let released = false;
	return {
		mode,
		read: async (binary) => await Container.get(BinaryDataService).getAsBuffer(binary),
		release: () => {
			if (released) return;
			released = true;
			current.users -= 1;
			if (current.users > 0) return;
			rmSync(current.storagePath, { recursive: true, force: true });
			shared = undefined;
		},
	};
}
