import type { E2eContext } from '../context';
import type { QueueTopology } from './topology';

/** What the queue-mode steps share: the single-process context's files and emulator, and the processes. */
export interface QueueContext extends Pick<
	E2eContext,
	'work' | 'inputDir' | 'outputDir' | 'images' | 'packageName' | 'emulator'
> {
	topology: QueueTopology;
	/** The main process's REST API, signed in as the owner. */
	rest: E2eContext['rest'];
	/** Run when the run ends, after n8n stopped (servers the steps started). */
	cleanups: E2eContext['cleanups'];
}
