// When the shared waiter polls next. Pure, so the schedule can be checked without waiting for it.

export const FIRST_POLL_MS = 1000;
const BACKOFF_FACTOR = 1.5;
/**
 * A round after which this many fewer tasks wait (as at the end of a batch, when no new ones come)
 * is followed by one at half the delay, so that the last downloads do not all wait for the same
 * round. It costs at most one list request per this many tasks.
 */
const BUSY_ROUND_ENDED = 50;
/** With this many tasks waiting, a round is one list request however many there are. */
export const LIST_THRESHOLD = 3;
/** A round expected to find the last tasks comes this long after they should have ended. */
const END_MARGIN_MS = 50;
/** Rounds planned from the tasks' expected ends are at least this far apart. */
const MIN_GAP_MS = 250;

export interface PollState {
	/** The delay before the round just made. */
	previousDelay: number;
	/** How many tasks that round saw end. */
	ended: number;
	/** How many still wait, and since when the oldest and the newest have (ms since the epoch). */
	waiting: number;
	oldestSince: number;
	newestSince: number;
	/** At most how long tasks take, from the quickest seen to end; undefined before any has. */
	duration: number | undefined;
	/** When the round just made began: every task still waiting had not ended by then. */
	roundAt: number;
	now: number;
	pollIntervalMs: number;
}

/** Before any task has ended, and with a list round serving every task, polls at 1.5 times the age of the oldest. */
function usualDelay(state: PollState): number {
	const soon = Math.min(FIRST_POLL_MS, state.pollIntervalMs);
	// Tasks of a batch finish close together: once some have, the rest are polled for soon.
	if (state.ended >= BUSY_ROUND_ENDED) return soon / 2;
	if (state.ended > 0) return soon;
	if (state.waiting >= LIST_THRESHOLD && state.duration === undefined) {
		// A round costs one request for the whole batch: polling as the oldest task ages by half
		// finds the first ended tasks at most half their duration late, where growing delays find
		// them up to one and a half durations late, and every later download waits on that.
		const age = state.now - state.oldestSince;
		return Math.min(Math.max(age * (BACKOFF_FACTOR - 1), soon / 2), state.pollIntervalMs);
	}
	return Math.min(state.previousDelay * BACKOFF_FACTOR, state.pollIntervalMs);
}

/**
 * The delay before the next round. When every waiting task should have ended before the usual
 * round (the quickest duration seen, counted from the newest task), the next round comes as the
 * last one ends, with one halfway while tasks are ending, so their downloads are spread and none
 * waits long. A round that found them still waiting at that time (or within the margin of it)
 * proves the estimate wrong for them, and the usual delays resume.
 */
export function nextPollDelay(state: PollState): number {
	const usual = usualDelay(state);
	if (state.duration === undefined || state.waiting === 0) return usual;
	const lastEnd = state.newestSince + state.duration;
	const untilLastEnds = lastEnd + END_MARGIN_MS - state.now;
	if (lastEnd <= state.roundAt + END_MARGIN_MS || untilLastEnds >= usual) return usual;
	if (state.ended > 0 && untilLastEnds >= 2 * MIN_GAP_MS) return untilLastEnds / 2;
	return Math.max(MIN_GAP_MS, untilLastEnds);
}
