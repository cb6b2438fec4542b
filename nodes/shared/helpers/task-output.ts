import type { IDataObject } from 'n8n-workflow';

/** The object kinds as the API's task flags and the detections' `type_label` name them. */
const OBJECT_FLAGS = ['face', 'license_plate', 'person', 'vehicle'] as const;

/** Facts the node learned beside the task itself, kept in the short output when present. */
const EXTRAS = ['output_file_name', 'detections', 'files_deleted', 'files_delete_error'] as const;

/**
 * The short form: what a person reads in the Table view and what a later node needs, always
 * with the same keys. Built from replies already in hand (no request), and without the presigned
 * links, whose signatures would otherwise stay in every saved execution. What a reply does not
 * tell (a status reply has no settings) is null, not missing.
 */
function simplifyTask(task: IDataObject): IDataObject {
	const flagged = OBJECT_FLAGS.filter(
		(flag) => typeof task[flag] === 'boolean' || typeof task[flag] === 'string',
	);
	const simple: IDataObject = {
		task_id: task.task_id,
		task_status: task.task_status ?? null,
		failure_cause: task.failure_cause ?? null,
		anonymization_method: task.anonymization_method ?? null,
		objects: flagged.length
			? flagged.filter((flag) => task[flag] === true || task[flag] === 'true')
			: null,
		create_time: task.create_time ?? null,
	};
	for (const key of EXTRAS) if (task[key] !== undefined) simple[key] = task[key];
	return simple;
}

/**
 * The one output rule for every operation that returns a task, and for the trigger: the short
 * form when Simplify is on (the default), else the task as the API returned it.
 */
export function taskOutput(task: IDataObject, simplify: boolean): IDataObject {
	return simplify ? simplifyTask(task) : task;
}
