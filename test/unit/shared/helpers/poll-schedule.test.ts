import { nextPollDelay, type PollState } from '../../../../nodes/shared/helpers/poll-schedule';

/** A batch of 100 tasks, the oldest handed over 1 s ago and the newest 0.1 s ago, none seen to end. */
const NOW = 1_000_000;
const batch = (change: Partial<PollState> = {}): PollState => ({
	previousDelay: 1000,
	ended: 0,
	waiting: 100,
	oldestSince: NOW - 1000,
	newestSince: NOW - 100,
	duration: undefined,
	roundAt: NOW - 5,
	now: NOW,
	pollIntervalMs: 5000,
	...change,
});

describe('nextPollDelay', () => {
	it('before any task of a batch has ended, polls when the oldest task is half as old again', () => {
		expect(nextPollDelay(batch())).toBe(500);
		expect(nextPollDelay(batch({ oldestSince: NOW - 4000 }))).toBe(2000);
		// Never longer than the poll interval, never sooner than half the first delay.
		expect(nextPollDelay(batch({ oldestSince: NOW - 60_000 }))).toBe(5000);
		expect(nextPollDelay(batch({ oldestSince: NOW - 200 }))).toBe(500);
	});

	it('for one or two tasks, where each round is a status call per task, backs off from the last delay', () => {
		expect(nextPollDelay(batch({ waiting: 1, previousDelay: 1000 }))).toBe(1500);
		expect(nextPollDelay(batch({ waiting: 2, previousDelay: 4000 }))).toBe(5000);
	});

	it('polls again soon once tasks end, sooner after a round in which many did', () => {
		expect(nextPollDelay(batch({ ended: 10 }))).toBe(1000);
		expect(nextPollDelay(batch({ ended: 60 }))).toBe(500);
	});

	it('when every task should end before then, polls halfway and as the last one ends', () => {
		// Tasks take at most 2 s; the newest, handed over 1.4 s ago, should end in 0.6 s.
		const ending = batch({ ended: 10, duration: 2000, newestSince: NOW - 1400 });
		expect(nextPollDelay(ending)).toBe(325);
		// Less than two gaps to go: one round just after the expected end.
		expect(nextPollDelay({ ...ending, newestSince: NOW - 1700 })).toBe(350);
		// Rounds planned so are never closer than 250 ms.
		expect(nextPollDelay({ ...ending, newestSince: NOW - 1900 })).toBe(250);
	});

	it('keeps the usual delays when the last task should end after the usual round, or was seen waiting past its expected end', () => {
		expect(nextPollDelay(batch({ ended: 10, duration: 2000, newestSince: NOW - 100 }))).toBe(1000);
		// The last round saw the newest task still waiting 2.01 s after it was handed over.
		expect(
			nextPollDelay(
				batch({ ended: 10, duration: 2000, newestSince: NOW - 2015, roundAt: NOW - 5 }),
			),
		).toBe(1000);
	});
});
