/** Defaults of the node's own options, shared by their fields and their checks (bounds: option-bounds.ts). */
export const DEFAULTS = {
	binaryPropertyName: 'data',
	outputBinaryPropertyName: 'anonymized',
	pollIntervalSeconds: 5,
	timeoutSeconds: 600,
	concurrency: 10,
} as const;

/**
 * The options of the node itself (waiting, output, transfers). They share the Options collection
 * with task settings but are never sent to Celantur. Their fields (and so their labels) are
 * actions/task/fields.ts's `nodeOptionFields`, typed to have exactly these names.
 */
export const NODE_OPTIONS = [
	'pollInterval',
	'timeout',
	'concurrency',
	'outputBinaryPropertyName',
	'includeMetadata',
	'deleteFilesAfterDownload',
] as const;

export type NodeOptionName = (typeof NODE_OPTIONS)[number];
