import type { ICredentialDataDecryptedObject, INodeCredentialsDetails } from 'n8n-workflow';
import { UserError } from 'n8n-workflow';

import type { HarnessCredential } from './types';

/**
 * Decrypted credential data per credential id for the harness's lifetime: what n8n keeps in its
 * database, so a token cached by one execution is seen by the next.
 */
export class CredentialStore {
	private readonly records = new Map<string, HarnessCredential>();

	private readonly signInCounts = new Map<string, number>();

	private readonly updateCounts = new Map<string, number>();

	constructor(credentials: HarnessCredential[] = []) {
		for (const credential of credentials) this.add(credential);
	}

	add(credential: HarnessCredential): void {
		if (this.records.has(credential.id)) {
			throw new UserError(`A credential with id "${credential.id}" is already in the store.`);
		}
		this.records.set(credential.id, { ...credential, data: structuredClone(credential.data) });
	}

	/** A copy of the stored data: changing it changes nothing until `set` or `replace`. */
	get(id: string): ICredentialDataDecryptedObject {
		return structuredClone(this.require(id).data);
	}

	/**
	 * Merges into the stored data (e.g. `set(id, { accessToken: 'stale' })` to expire a token);
	 * a key set to `undefined` is removed.
	 */
	set(id: string, data: ICredentialDataDecryptedObject): void {
		const record = this.require(id);
		const merged: ICredentialDataDecryptedObject = { ...record.data };
		for (const [key, value] of Object.entries(data)) {
			if (value === undefined) delete merged[key];
			else merged[key] = structuredClone(value);
		}
		record.data = merged;
	}

	/** Replaces the stored data, as n8n's updateCredentials saves the whole object. */
	replace(id: string, data: ICredentialDataDecryptedObject): void {
		this.require(id).data = structuredClone(data);
		this.updateCounts.set(id, (this.updateCounts.get(id) ?? 0) + 1);
	}

	describe(id: string): Omit<HarnessCredential, 'data'> {
		const { name, type } = this.require(id);
		return { id, name, type };
	}

	/** Resolves a node's credential reference as n8n does: by id, and the type must match. */
	resolve(details: INodeCredentialsDetails, type: string): Omit<HarnessCredential, 'data'> {
		if (!details.id) {
			throw new UserError(`Credential "${details.name}" of type "${type}" has no id.`);
		}
		const record = this.records.get(details.id);
		if (!record || record.type !== type) {
			throw new UserError(`Credential with ID "${details.id}" does not exist for type "${type}".`);
		}
		return this.describe(details.id);
	}

	/** How many times the credential type's preAuthentication ran (for one credential, or all). */
	signIns(credentialId?: string): number {
		if (credentialId !== undefined) return this.signInCounts.get(credentialId) ?? 0;
		let total = 0;
		for (const count of this.signInCounts.values()) total += count;
		return total;
	}

	/** How many times n8n persisted new data for the credential (after a sign-in, an OAuth refresh). */
	updates(credentialId: string): number {
		return this.updateCounts.get(credentialId) ?? 0;
	}

	recordSignIn(id: string): void {
		this.signInCounts.set(id, (this.signInCounts.get(id) ?? 0) + 1);
	}

	private require(id: string): HarnessCredential {
		const record = this.records.get(id);
		if (!record) throw new UserError(`No credential with id "${id}" in the harness.`);
		return record;
	}
}
