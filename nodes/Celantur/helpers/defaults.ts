/** Defaults and bounds of the node's own options, shared by their fields and their checks. */
export const DEFAULTS = {
	binaryPropertyName: 'data',
	outputBinaryPropertyName: 'anonymized',
	pollIntervalSeconds: 5,
	timeoutSeconds: 600,
	concurrency: 10,
} as const;

/**
 * The options of the node itself (waiting, output, transfers), with the labels their errors
 * name. They share the Options collection with task settings but are never sent to Celantur.
 */
export const NODE_OPTION_LABELS = {
	pollInterval: 'Poll Interval (Seconds)',
	timeout: 'Timeout (Seconds)',
	concurrency: 'Concurrency',
	outputBinaryPropertyName: 'Output Binary Field',
	includeMetadata: 'Include Detections',
	deleteFilesAfterDownload: 'Delete Files at Celantur After Download',
} as const;

export const BOUNDS = {
	pollIntervalSeconds: { min: 0.1, max: 300 },
	timeoutSeconds: { min: 1, max: 86_400 },
	concurrency: { min: 1, max: 50 },
} as const;
