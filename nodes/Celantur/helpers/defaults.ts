/** Defaults and bounds of the node's own options, shared by their fields and their checks. */
export const DEFAULTS = {
	binaryPropertyName: 'data',
	outputBinaryPropertyName: 'anonymized',
	pollIntervalSeconds: 5,
	timeoutSeconds: 600,
	concurrency: 10,
} as const;

export const BOUNDS = {
	pollIntervalSeconds: { min: 0.1, max: 300 },
	timeoutSeconds: { min: 1, max: 86_400 },
	concurrency: { min: 1, max: 50 },
} as const;
