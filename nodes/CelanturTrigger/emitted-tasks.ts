import type { IDataObject } from 'n8n-workflow';

/** How many emitted task ids are remembered, so a repeated callback starts no second execution. */
export const EMITTED_MEMORY = 1000;

/** Requests whose static data may still be saved by n8n; older ones have long been written. */
const OPEN_STORES = 64;

/** What one n8n process knows of one trigger node: the ids it emitted and the stores to keep in step. */
interface ProcessRecord {
	ids: string[];
	stores: IDataObject[];
}

/**
 * n8n gives webhook nodes no atomic store: it loads a workflow's static data for each request and
 * saves it whole after answering, so with simultaneous callbacks the last save wins and the others'
 * ids are lost. This record is shared by every request of the process, so a copy arriving while
 * the first is still being verified finds it, and every request's static data that n8n may still
 * save is given the whole record, so whichever save lands last holds all ids (and a restart or
 * another process reading the database knows them). Across several webhook processes delivery is
 * at least once.
 */
const records = new Map<string, ProcessRecord>();

export class EmittedTasks {
	private readonly record: ProcessRecord;

	/** `key` names the workflow, the node and production vs test; `store` is this request's static data. */
	constructor(key: string, store: IDataObject) {
		let record = records.get(key);
		if (!record) {
			record = { ids: [], stores: [] };
			records.set(key, record);
		}
		this.record = record;
		const saved = Array.isArray(store.emittedTaskIds)
			? (store.emittedTaskIds as unknown[]).map(String)
			: [];
		const known = new Set(record.ids);
		for (const id of saved) if (!known.has(id)) record.ids.unshift(id);
		trim(record.ids);
		record.stores.push(store);
		if (record.stores.length > OPEN_STORES)
			record.stores.splice(0, record.stores.length - OPEN_STORES);
	}

	has(taskId: number): boolean {
		return this.record.ids.includes(String(taskId));
	}

	add(taskId: number): void {
		this.record.ids.push(String(taskId));
		trim(this.record.ids);
		this.spread();
	}

	remove(taskId: number): void {
		this.record.ids = this.record.ids.filter((id) => id !== String(taskId));
		this.spread();
	}

	private spread(): void {
		for (const store of this.record.stores) store.emittedTaskIds = [...this.record.ids];
	}
}

function trim(ids: string[]): void {
	if (ids.length > EMITTED_MEMORY) ids.splice(0, ids.length - EMITTED_MEMORY);
}
