import type { Scheduler } from './clock';
import type { EmulatorEvents } from './events';
import type {
	CallbackDropRule,
	CallbackKnobs,
	EmulatorKnobs,
	EmulatorTask,
	WebhookDelivery,
} from './types';
import type { WebhookSender } from './webhook';

export function defaultCallbacks(start: Partial<CallbackKnobs> = {}): CallbackKnobs {
	return {
		delayMs: 0,
		copies: 1,
		copyGapMs: 0,
		hold: false,
		...start,
		drop: [...(start.drop ?? [])],
	};
}

interface Held {
	task: EmulatorTask;
	url: string;
	body: Record<string, unknown>;
	copies: number;
}

export interface CallbackDeps {
	knobs: EmulatorKnobs;
	scheduler: Scheduler;
	webhooks: WebhookSender;
	events: EmulatorEvents;
	/** Every task with this webhook URL, for `'lastOfBatch'`. */
	batchOf: (url: string) => EmulatorTask[];
}

const ENDED = ['done', 'failed'];

/**
 * Celantur's callback on its way to the receiver, through `knobs.callbacks`: dropped, delayed,
 * repeated, held for a burst, routed. The decision to drop is taken when the task is done; delay,
 * hold and copies when it leaves. Every attempt ends up in `task.webhookDeliveries`.
 */
export class CallbackDispatcher {
	private readonly held: Held[] = [];

	constructor(private readonly deps: CallbackDeps) {}

	/** A task is done: its callback, as Celantur sends it (one POST, no retry). */
	async taskDone(task: EmulatorTask, url: string, body: Record<string, unknown>): Promise<void> {
		const knobs = this.deps.knobs.callbacks;
		const last = () =>
			this.deps
				.batchOf(url)
				.every((other) => other === task || other.deleted || ENDED.includes(other.status));
		if (takeDrop(knobs.drop, task.id, last)) {
			this.record(task, { at: this.deps.scheduler.now(), url, body, dropped: true }, false);
			return;
		}
		await this.deps.scheduler.delay(knobs.delayMs);
		if (this.deps.scheduler.isClosed) return;
		const copies = Math.max(1, Math.floor(knobs.copies));
		if (knobs.hold) {
			this.held.push({ task, url, body, copies });
			this.deps.events.emit('held', task);
			return;
		}
		await this.send(task, url, body, copies, knobs.copyGapMs);
	}

	heldIds(): number[] {
		return this.held.map((entry) => entry.task.id);
	}

	async release(ids?: number[]): Promise<WebhookDelivery[]> {
		const chosen = this.held.filter((entry) => !ids || ids.includes(entry.task.id));
		for (const entry of chosen) this.held.splice(this.held.indexOf(entry), 1);
		const sent = await Promise.all(
			chosen.map((entry) => this.send(entry.task, entry.url, entry.body, entry.copies, 0)),
		);
		return sent.flat();
	}

	/** Sends now, past drop, delay and hold. */
	async resend(
		task: EmulatorTask,
		url: string,
		body: Record<string, unknown>,
		copies: number,
	): Promise<WebhookDelivery[]> {
		return await this.send(task, url, body, Math.max(1, Math.floor(copies)), 0);
	}

	private async send(
		task: EmulatorTask,
		url: string,
		body: Record<string, unknown>,
		copies: number,
		gapMs: number,
	): Promise<WebhookDelivery[]> {
		const once = async (): Promise<WebhookDelivery> => {
			const target = this.deps.knobs.callbacks.route?.(url, task) ?? url;
			const outcome = await this.deps.webhooks.deliver(target, body);
			const delivery: WebhookDelivery = {
				at: this.deps.scheduler.now(),
				url,
				...(target === url ? {} : { deliveredTo: target }),
				body,
				...outcome,
			};
			const ok = outcome.status !== undefined && outcome.status >= 200 && outcome.status < 300;
			this.record(task, delivery, ok);
			return delivery;
		};
		if (gapMs <= 0) return await Promise.all(Array.from({ length: copies }, once));
		const deliveries: WebhookDelivery[] = [];
		for (let n = 0; n < copies; n++) {
			if (n > 0) await this.deps.scheduler.delay(gapMs);
			if (this.deps.scheduler.isClosed) break;
			deliveries.push(await once());
		}
		return deliveries;
	}

	private record(task: EmulatorTask, delivery: WebhookDelivery, ok: boolean): void {
		task.webhookDeliveries.push(delivery);
		// Once one copy got through, the task's callback counts as sent.
		task.webhookStatus = ok || task.webhookStatus === 'sent' ? 'sent' : 'failed';
		this.deps.events.emit('webhook', task, delivery);
	}
}

/** Takes one use of the first rule that matches; `last` is asked only for 'lastOfBatch' rules. */
function takeDrop(rules: CallbackDropRule[], taskId: number, last: () => boolean): boolean {
	for (let index = 0; index < rules.length; index++) {
		const rule = rules[index];
		const count = rule.count ?? 1;
		if (!(count > 0)) {
			rules.splice(index--, 1);
			continue;
		}
		const matches =
			rule.task === undefined || rule.task === taskId || (rule.task === 'lastOfBatch' && last());
		if (!matches) continue;
		rule.count = count - 1;
		if (rule.count <= 0) rules.splice(index, 1);
		return true;
	}
	return false;
}
