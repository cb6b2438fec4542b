/** The task list filters by whole days in UTC. */
export const DAY_MS = 86_400_000;

/** A day as the task list's filters want it (YYYY-MM-DD, UTC). */
export function utcDay(time: number): string {
	return new Date(time).toISOString().slice(0, 10);
}

/** The list's "created before" meaning "up to now": two days ahead, so no clock skew leaves today's tasks out. */
export function openEndDay(): string {
	return utcDay(Date.now() + 2 * DAY_MS);
}
