// `npm run dev`: the package as users get it, in a real n8n you can click through.
// Starts the Celantur emulator on 127.0.0.1:8787 and n8n on 127.0.0.1:5678 (user folder
// ./.n8n-e2e/dev, kept between runs), installs the package from a fresh build as a community
// package, imports the credential "Celantur (emulator)" and the example workflow (reading
// ./.n8n-e2e/dev/files/in, writing ./.n8n-e2e/dev/files/out), and runs until Ctrl-C.
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';

import { DEFAULT_USER, startEmulator } from '../emulator';
import {
	CREDENTIAL,
	FOLDER_WORKFLOW_ID,
	writeCredentialFile,
	writeFolderWorkflow,
	writeImages,
} from './fixtures';
import { ensureN8n, readMatrix } from './n8n-binary';
import { N8nInstance } from './n8n-instance';
import { buildAndPack, installCommunityPackage } from './package-install';
import { E2E_OWNER, N8nRest, RestError } from './rest-client';

const ROOT = path.resolve(__dirname, '..', '..');
const HOME = path.join(ROOT, '.n8n-e2e', 'dev');
const N8N_PORT = 5678;
const EMULATOR_PORT = 8787;

async function main(): Promise<void> {
	// `npm run dev -- 2.41.1` runs another version of the matrix.
	const { binary, nodeBin } = await ensureN8n(process.argv[2] ?? (await readMatrix()).default);
	const userFolder = path.join(HOME, 'n8n-user');
	const inputDir = path.join(HOME, 'files', 'in');
	const outputDir = path.join(HOME, 'files', 'out');
	for (const dir of [userFolder, inputDir, outputDir]) mkdirSync(dir, { recursive: true });

	console.log('Building and packing the package...');
	const packed = await buildAndPack(ROOT, path.join(HOME, 'pack'));
	await installCommunityPackage(userFolder, packed.tarball);
	if (readdirSync(inputDir).length === 0) writeImages(inputDir);

	const emulator = await startEmulator({
		host: '127.0.0.1',
		port: EMULATOR_PORT,
		storagePort: EMULATOR_PORT + 1,
	});
	const n8n = new N8nInstance({
		binary,
		nodeBin,
		userFolder,
		port: N8N_PORT,
		fileAccess: [inputDir, outputDir],
		logFile: path.join(HOME, 'n8n.log'),
		logLevel: 'info',
	});
	let stopping = false;
	const stop = (): void => {
		if (stopping) return;
		stopping = true;
		console.log('\nStopping n8n and the emulator...');
		void Promise.all([n8n.stop(), emulator.close()]).finally(() => process.exit(0));
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);

	try {
		const credentialFile = path.join(HOME, 'credential.json');
		const workflowFile = path.join(HOME, 'folder-to-folder.json');
		writeCredentialFile(
			credentialFile,
			emulator.baseUrl,
			DEFAULT_USER.password,
			'Celantur (emulator)',
		);
		writeFolderWorkflow(
			workflowFile,
			path.join(ROOT, 'examples', 'folder-to-folder.json'),
			inputDir,
			outputDir,
		);
		console.log('Importing the credential and the example workflow...');
		await n8n.mustCli(
			['import:credentials', `--input=${credentialFile}`],
			/Successfully imported 1 credential/,
		);
		await n8n.mustCli(
			['import:workflow', `--input=${workflowFile}`],
			/Successfully imported 1 workflow/,
		);

		console.log('Starting n8n...');
		await n8n.start();
		const rest = new N8nRest(n8n.baseUrl);
		try {
			await rest.login();
		} catch (error) {
			if (!(error instanceof RestError)) throw error;
			await rest.setupOwner();
		}
	} catch (error) {
		console.error(error instanceof Error ? error.message : error);
		stop();
		return;
	}

	console.log(`
n8n ${packed.name}@${packed.version} is running:
  editor:    ${n8n.baseUrl}/workflow/${FOLDER_WORKFLOW_ID}
  log in:    ${E2E_OWNER.email} / ${E2E_OWNER.password}
  emulator:  ${emulator.baseUrl} (${DEFAULT_USER.username} / ${DEFAULT_USER.password}), credential "Celantur (emulator)" (id ${CREDENTIAL.id})
  images:    ${inputDir} -> ${outputDir}
  n8n log:   ${path.join(HOME, 'n8n.log')}
Press Ctrl-C to stop.`);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
