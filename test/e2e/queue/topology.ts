// n8n in queue mode as users scale it out: PostgreSQL and Redis, one main process (editor, API),
// one webhook processor and two workers, sharing one user folder (with the community package) and
// one encryption key, binary data in the database.
import { randomBytes } from 'node:crypto';
import path from 'node:path';

import type { N8nInstall } from '../n8n-binary';
import { N8nInstance, type N8nCommand } from '../n8n-instance';
import { freePort } from '../ports';
import {
	ensureDebianPackages,
	startPostgres,
	startRedis,
	type Postgres,
	type Service,
} from '../services';

export const WORKERS = 2;
export const WORKER_CONCURRENCY = 10;

export interface QueueTopology {
	postgres: Postgres;
	redis: Service;
	main: N8nInstance;
	webhook: N8nInstance;
	workers: N8nInstance[];
	/** Every n8n process, main first. */
	all: N8nInstance[];
	/** Debian packages installed for this run. */
	installed: string[];
	stop(): Promise<void>;
}

export async function startQueueTopology(
	install: N8nInstall,
	work: string,
	userFolder: string,
	fileAccess: string[],
): Promise<QueueTopology> {
	const installed = await ensureDebianPackages([
		{ file: '/usr/bin/redis-server', pkg: 'redis-server' },
		{ file: '/usr/bin/psql', pkg: 'postgresql-client' },
		{ file: '/usr/lib/postgresql', pkg: 'postgresql' },
	]);
	const started: Array<{ stop(): Promise<void> }> = [];
	const stop = async (): Promise<void> => {
		for (const service of started.reverse()) await service.stop().catch(() => undefined);
	};
	try {
		const postgres = await startPostgres(path.join(work, 'postgres'));
		started.push(postgres);
		const redis = await startRedis(path.join(work, 'redis'));
		started.push(redis);

		const webhookPort = await freePort();
		const shared: Record<string, string> = {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(postgres.port),
			DB_POSTGRESDB_DATABASE: postgres.database,
			DB_POSTGRESDB_USER: postgres.user,
			DB_POSTGRESDB_PASSWORD: '',
			N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
			N8N_DEFAULT_BINARY_DATA_MODE: 'database',
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			// Production webhook URLs point at the webhook processor, as a load balancer would route them.
			WEBHOOK_URL: `http://127.0.0.1:${webhookPort}/`,
		};
		const spawnProcess = async (
			name: string,
			command: N8nCommand,
			port: number,
			args: string[] = [],
		): Promise<N8nInstance> => {
			const instance = new N8nInstance({
				binary: install.binary,
				nodeBin: install.nodeBin,
				userFolder,
				port,
				fileAccess,
				logFile: path.join(work, `${name}.log`),
				command,
				args,
				env: {
					...shared,
					QUEUE_HEALTH_CHECK_PORT: String(await freePort()),
					N8N_WORKER_SERVER_PORT: String(await freePort()),
				},
			});
			started.push(instance);
			await instance.start(180_000);
			return instance;
		};
		// The main process runs the database migrations, so it comes up alone first.
		const main = await spawnProcess('main', 'start', await freePort());
		const [webhook, ...workers] = await Promise.all([
			spawnProcess('webhook', 'webhook', webhookPort),
			...Array.from({ length: WORKERS }, (_, n) =>
				spawnProcess(`worker-${n + 1}`, 'worker', 0, [`--concurrency=${WORKER_CONCURRENCY}`]),
			),
		]);
		return {
			postgres,
			redis,
			main,
			webhook,
			workers,
			all: [main, webhook, ...workers],
			installed,
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}
