// Reading n8n run data (IRunExecutionData): the items a node put out.

/** A binary property as run data holds it: an id where n8n stores binaries apart (2.x), inline base64 in 1.x's default mode. */
export interface BinaryRef {
	id?: string;
	data?: string;
	fileName?: string;
	mimeType?: string;
	fileSize?: string;
	fileExtension?: string;
}

export interface Item {
	json: Record<string, unknown>;
	binary?: Record<string, BinaryRef>;
	error?: unknown;
}

interface RunData {
	resultData?: {
		lastNodeExecuted?: string;
		error?: { message?: string; description?: string };
		runData?: Record<
			string,
			Array<{ data?: { main?: Array<Item[] | null> }; error?: { message?: string } }>
		>;
	};
}

/** Items of a node's first output, first run; undefined when the node did not run. */
export function nodeOutput(runData: unknown, nodeName: string): Item[] | undefined {
	const runs = (runData as RunData).resultData?.runData?.[nodeName];
	if (!runs || runs.length === 0) return undefined;
	return runs[0].data?.main?.[0] ?? [];
}

export function nodeError(runData: unknown, nodeName: string): string | undefined {
	return (runData as RunData).resultData?.runData?.[nodeName]?.[0]?.error?.message;
}

export function executionError(runData: unknown): string | undefined {
	const error = (runData as RunData).resultData?.error;
	return error ? [error.message, error.description].filter(Boolean).join(': ') : undefined;
}

export function ranNodes(runData: unknown): string[] {
	return Object.keys((runData as RunData).resultData?.runData ?? {});
}

export function lastNodeExecuted(runData: unknown): string | undefined {
	return (runData as RunData).resultData?.lastNodeExecuted;
}

/** The bytes of a binary property, wherever this n8n version keeps them. */
export async function binaryBytes(
	binary: BinaryRef,
	download: (id: string) => Promise<Buffer>,
): Promise<Buffer> {
	if (binary.id) return await download(binary.id);
	if (binary.data) return Buffer.from(binary.data, 'base64');
	throw new Error(`the binary ${binary.fileName ?? ''} has neither an id nor inline data`);
}
