// Steps of the end-to-end run: each prints PASS or FAIL with its figures and timing; a step
// records every failed check (soft) and fails if any did or if it threw.

export type Figure = string | number | boolean;

export class StepContext {
	readonly figures: Array<[string, Figure]> = [];
	readonly failures: string[] = [];

	/** A number or fact worth printing beside PASS/FAIL. */
	figure(name: string, value: Figure): void {
		this.figures.push([name, value]);
	}

	/** A soft check: records the failure and carries on. Returns the condition. */
	check(condition: boolean, failure: string): boolean {
		if (!condition) this.failures.push(failure);
		return condition;
	}

	/** A hard check: records the failure and ends the step. */
	require(condition: boolean, failure: string): asserts condition {
		if (!condition) throw new StepAbort(failure);
	}
}

class StepAbort extends Error {}

export interface StepResult {
	name: string;
	passed: boolean;
	ms: number;
}

export class Reporter {
	readonly results: StepResult[] = [];

	constructor(private readonly print: (line: string) => void = (line) => console.log(line)) {}

	/** Runs one step, never throws; returns whether it passed. */
	async step(
		name: string,
		timeoutMs: number,
		body: (ctx: StepContext) => Promise<void>,
	): Promise<boolean> {
		const ctx = new StepContext();
		const started = Date.now();
		this.print(`--- ${name}`);
		let timer: NodeJS.Timeout | undefined;
		try {
			await Promise.race([
				body(ctx),
				new Promise<never>((_, reject) => {
					timer = setTimeout(
						() => reject(new Error(`timed out after ${Math.round(timeoutMs / 1000)} s`)),
						timeoutMs,
					);
				}),
			]);
		} catch (error) {
			ctx.failures.push(
				error instanceof StepAbort ? error.message : `threw: ${describeError(error)}`,
			);
		} finally {
			clearTimeout(timer);
		}
		const ms = Date.now() - started;
		const passed = ctx.failures.length === 0;
		this.results.push({ name, passed, ms });
		const figures = ctx.figures.map(([key, value]) => `${key}=${value}`).join(', ');
		this.print(
			`${passed ? 'PASS' : 'FAIL'} ${name} (${(ms / 1000).toFixed(1)} s)${figures ? `: ${figures}` : ''}`,
		);
		for (const failure of ctx.failures) this.print(`     - ${failure}`);
		return passed;
	}

	/** A step that could not run because an earlier one it needs failed. */
	skip(name: string, reason: string): void {
		this.results.push({ name, passed: false, ms: 0 });
		this.print(`--- ${name}\nFAIL ${name} (not run: ${reason})`);
	}

	get failed(): number {
		return this.results.filter((result) => !result.passed).length;
	}

	summary(): string {
		const passed = this.results.length - this.failed;
		return `${passed} passed, ${this.failed} failed`;
	}
}

export function describeError(error: unknown): string {
	if (error instanceof Error)
		return error.stack?.split('\n').slice(0, 4).join('\n      ') ?? error.message;
	return String(error);
}
