import type { IDataObject, Workflow } from 'n8n-workflow';

/**
 * A workflow's static data as n8n saves it with the workflow: keyed by the test's workflow object,
 * so passing the same object again sees what the previous call or execution stored.
 */
export class StaticDataStore {
	private readonly saved = new WeakMap<object, IDataObject>();

	/** A fresh copy to hand to a new Workflow, which wraps and mutates what it is given. */
	load(workflowInput: { staticData?: IDataObject }): IDataObject {
		const data = this.saved.get(workflowInput) ?? workflowInput.staticData ?? {};
		return structuredClone(data);
	}

	/** Saves only when n8n's observable marks the data changed, as the CLI does. */
	saveIfChanged(workflowInput: object, workflow: Workflow): IDataObject {
		const { staticData } = workflow;
		if (staticData.__dataChanged === true) {
			// JSON, as the database would store it; also drops the proxy and its change flag.
			this.saved.set(workflowInput, JSON.parse(JSON.stringify(staticData)) as IDataObject);
		}
		return structuredClone(this.saved.get(workflowInput) ?? this.load(workflowInput));
	}
}
