import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';

/** A CPU profile of what runs between start and stop, written to `dir` (nothing when no dir is given). */
export async function cpuProfiler(
	dir: string | undefined,
): Promise<{ stop(name: string): Promise<void> }> {
	if (!dir) return { stop: async () => {} };
	const session = new Session();
	session.connect();
	const post = async (method: string): Promise<unknown> =>
		await new Promise((resolve, reject) =>
			session.post(method, (error, result) => (error ? reject(error) : resolve(result))),
		);
	await post('Profiler.enable');
	await post('Profiler.start');
	return {
		stop: async (name) => {
			const { profile } = (await post('Profiler.stop')) as { profile: object };
			session.disconnect();
			const file = path.join(dir, `${name}.cpuprofile`);
			writeFileSync(file, JSON.stringify(profile));
			console.error(`cpu profile: ${file}`);
		},
	};
}
