import type { ICredentialType, ICredentialTypes, INodeProperties } from 'n8n-workflow';
import { NodeHelpers, UnexpectedError } from 'n8n-workflow';

/** The registry n8n's CLI builds from loaded packages, for the types a test passes in. */
export class HarnessCredentialTypes implements ICredentialTypes {
	private readonly types: Record<string, ICredentialType>;

	constructor(types: Record<string, ICredentialType>) {
		this.types = { ...types };
	}

	recognizes(credentialType: string): boolean {
		return credentialType in this.types;
	}

	getByName(credentialType: string): ICredentialType {
		const type = this.types[credentialType];
		if (!type) {
			throw new UnexpectedError(
				`Unknown credential type "${credentialType}". Pass it to createHarness({ credentialTypes }).`,
			);
		}
		return type;
	}

	getSupportedNodes(credentialType: string): string[] {
		return this.types[credentialType]?.supportedNodes ?? [];
	}

	getParentTypes(credentialType: string): string[] {
		const parents = this.types[credentialType]?.extends ?? [];
		return parents.flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
	}

	/** A type's properties with those of the types it extends; its own take precedence, as in n8n. */
	getProperties(credentialType: string): INodeProperties[] {
		const type = this.getByName(credentialType);
		if (type.extends === undefined) return type.properties;
		const combined: INodeProperties[] = [];
		for (const parent of type.extends) {
			NodeHelpers.mergeNodeProperties(combined, this.getProperties(parent));
		}
		NodeHelpers.mergeNodeProperties(combined, type.properties);
		return combined;
	}
}
