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

/** How long Celantur's result links are valid when a reply does not say (4 hours). */
const RESULT_LINK_SECONDS = 14_400;

/**
 * The one output rule for every operation that returns a task, and for the trigger: the short
 * form when Simplify is on (the default), else the task as the API returned it. As an AI tool the
 * answer is the short form plus the result's link, the only way to hand an image to an agent.
 */
export function taskOutput(task: IDataObject, simplify: boolean, tool = false): IDataObject {
	if (!tool) return simplify ? simplifyTask(task) : task;
	const answer = simplifyTask(task);
	if (typeof task.anonymized_url === 'string') {
		answer.anonymized_url = task.anonymized_url;
		answer.anonymized_url_expiration_duration =
			typeof task.anonymized_url_expiration_duration === 'number'
				? task.anonymized_url_expiration_duration
				: RESULT_LINK_SECONDS;
	}
	return answer;
}
