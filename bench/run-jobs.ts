/** Runs jobs 0 … `jobs` − 1, `concurrency` at a time, each next job as one ends; the seconds of the whole. */
export async function runJobs(
	jobs: number,
	concurrency: number,
	job: (n: number) => Promise<void>,
): Promise<number> {
	let next = 0;
	const started = process.hrtime.bigint();
	await Promise.all(
		Array.from({ length: Math.min(concurrency, jobs) }, async () => {
			while (next < jobs) await job(next++);
		}),
	);
	return Number(process.hrtime.bigint() - started) / 1e9;
}
