import { EventEmitter } from 'node:events';
import type { EmulatorTask, RequestLogEntry, WebhookDelivery } from './types';

/**
 * What the emulator announces, so tests wait for the moment itself instead of polling against a
 * deadline that a busy machine misses. Listeners run synchronously, in the emulator's own flow.
 */
export interface EmulatorEventMap {
	/**
	 * A request arrived and was logged, before its fault, latency and answer: a listener may turn a
	 * knob, advance the clock or expire tokens, and this very request sees it.
	 */
	request: [entry: RequestLogEntry];
	/** A request was answered (`entry.status` is set). Not emitted for resets. */
	response: [entry: RequestLogEntry];
	/** A task changed status (`task.status`, the newest `history` step). */
	status: [task: EmulatorTask];
	/** A webhook delivery ended: answered, refused, unreachable, timed out or dropped. */
	webhook: [task: EmulatorTask, delivery: WebhookDelivery];
	/** A callback was held (`knobs.callbacks.hold`) until `releaseCallbacks()`. */
	held: [task: EmulatorTask];
}

export type EmulatorEventName = keyof EmulatorEventMap;
export type EmulatorListener<E extends EmulatorEventName> = (...args: EmulatorEventMap[E]) => void;

export class EmulatorEvents {
	private readonly emitter = new EventEmitter();

	constructor() {
		// Tests may hold many waits at once.
		this.emitter.setMaxListeners(0);
	}

	emit<E extends EmulatorEventName>(event: E, ...args: EmulatorEventMap[E]): void {
		this.emitter.emit(event, ...args);
	}

	/** Returns the function that removes the listener. */
	on<E extends EmulatorEventName>(event: E, listener: EmulatorListener<E>): () => void {
		const untyped = listener as (...args: unknown[]) => void;
		this.emitter.on(event, untyped);
		return () => this.emitter.off(event, untyped);
	}

	/**
	 * Resolves with `read()` once it is defined: checked at once, then after every `event`.
	 * No deadline of its own: a wait that never ends is a failing test, caught by jest's timeout.
	 */
	when<T, E extends EmulatorEventName>(event: E, read: () => T | undefined): Promise<T> {
		const now = read();
		if (now !== undefined) return Promise.resolve(now);
		return new Promise((resolve) => {
			const off = this.on(event, () => {
				const value = read();
				if (value === undefined) return;
				off();
				resolve(value);
			});
		});
	}
}
