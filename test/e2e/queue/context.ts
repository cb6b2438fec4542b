import type { Emulator } from '../../emulator';
import type { N8nRest } from '../rest-client';
import type { QueueTopology } from './topology';

/** What the queue-mode steps share. */
export interface QueueContext {
	work: string;
	inputDir: string;
	outputDir: string;
	images: Map<string, Buffer>;
	packageName: string;
	emulator: Emulator;
	topology: QueueTopology;
	/** The main process's REST API, signed in as the owner. */
	rest: N8nRest;
}
