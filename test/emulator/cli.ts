// `npm run emulator -- --port 8787 [--storage-port N] [--host H] [--latency-ms N] [--queued-ms N]
//  [--processing-ms N] [--token-lifetime S] [--user email:password]`: runs until Ctrl-C.
import { DEFAULT_USER, startEmulator } from './index';
import type { EmulatorOptions, EmulatorUser, LatencyKnobs } from './types';

const USAGE = `Usage: npm run emulator -- [options]
  --port N             API port (default 8787; 0 = random)
  --storage-port N     presigned-URL storage port (default: API port + 1, or random with --port 0)
  --host H             interface to bind (default 127.0.0.1)
  --latency-ms N       delay of every API and storage request (sign-in, create, others, upload, download)
  --queued-ms N        time a task stays queued (default 20)
  --processing-ms N    minimum time a task stays processing (default 50)
  --token-lifetime S   access token lifetime in seconds (default 3600)
  --user EMAIL:PASS    an account to accept (repeatable; default ${DEFAULT_USER.username}:${DEFAULT_USER.password})`;

export function parseArgs(argv: string[]): EmulatorOptions {
	const options: EmulatorOptions = { port: 8787 };
	const latency: Partial<LatencyKnobs> = {};
	const users: EmulatorUser[] = [];
	let storagePortSet = false;
	for (let i = 0; i < argv.length; i++) {
		const flag = argv[i];
		const value = argv[i + 1];
		const number = (): number => {
			const parsed = Number(value);
			if (value === undefined || !Number.isFinite(parsed) || parsed < 0)
				throw new Error(`${flag} needs a non-negative number`);
			i++;
			return parsed;
		};
		switch (flag) {
			case '--port':
				options.port = number();
				break;
			case '--storage-port':
				options.storagePort = number();
				storagePortSet = true;
				break;
			case '--host':
				if (!value) throw new Error('--host needs a value');
				options.host = value;
				i++;
				break;
			case '--latency-ms': {
				const ms = number();
				Object.assign(latency, {
					signinMs: ms,
					createMs: ms,
					requestMs: ms,
					uploadMs: ms,
					downloadMs: ms,
				});
				break;
			}
			case '--queued-ms':
				latency.queuedMs = number();
				break;
			case '--processing-ms':
				latency.processingMs = number();
				break;
			case '--token-lifetime':
				options.tokenLifetimeSeconds = number();
				break;
			case '--user': {
				const at = value?.indexOf(':') ?? -1;
				if (!value || at <= 0) throw new Error('--user needs EMAIL:PASSWORD');
				users.push({ username: value.slice(0, at), password: value.slice(at + 1) });
				i++;
				break;
			}
			case '--help':
			case '-h':
				throw new Error('help');
			default:
				throw new Error(`unknown option ${flag}`);
		}
	}
	if (!storagePortSet && options.port) options.storagePort = options.port + 1;
	if (users.length > 0) options.users = users;
	options.latency = latency;
	return options;
}

async function main(): Promise<void> {
	let options: EmulatorOptions;
	try {
		options = parseArgs(process.argv.slice(2));
	} catch (error) {
		const message = (error as Error).message;
		if (message !== 'help') console.error(message);
		console.error(USAGE);
		process.exit(message === 'help' ? 0 : 2);
	}
	const emulator = await startEmulator(options);
	const users = options.users ?? [DEFAULT_USER];
	console.log(`Celantur API v2 emulator listening`);
	console.log(`  base URL:        ${emulator.baseUrl}`);
	console.log(`  storage origin:  ${emulator.storageOrigin}`);
	for (const user of users) console.log(`  sign in as:      ${user.username} / ${user.password}`);
	console.log('Press Ctrl-C to stop.');
	let stopping = false;
	const stop = (): void => {
		if (stopping) return;
		stopping = true;
		void emulator.close().then(() => process.exit(0));
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

if (require.main === module) {
	main().catch((error: unknown) => {
		console.error(error);
		process.exit(1);
	});
}
