/** What a bench run is: its batch, the emulator's latency, and which node handles the images. */
export interface BenchArgs {
	preset: PresetName;
	images: number;
	imageMb: number;
	latencyS: number;
	concurrency: number;
	sequentialSample: number;
	/**
	 * `passthrough` gives the same items to a node that returns them: n8n-core's own share.
	 * `store-copy` to one that copies each image through n8n's binary store: the share of moving
	 * the bytes through n8n at all. `reference` to the bare pipeline any node must run
	 * (reference.node.ts): the floor of time for the batch here.
	 */
	node: BenchNode;
	/** A folder to write heap snapshots to, before and after the run. */
	heapSnapshots: string | undefined;
	/** A folder to write a CPU profile of the measured run to (the run only, not the set-up). */
	cpuProfile: string | undefined;
}

export const BENCH_NODES = ['celantur', 'passthrough', 'store-copy', 'reference'] as const;
export type BenchNode = (typeof BENCH_NODES)[number];

function isBenchNode(name: string | undefined): name is BenchNode {
	return BENCH_NODES.some((node) => node === name);
}

export const PRESETS = {
	default: { images: 100, imageMb: 1 },
	'1k': { images: 1000, imageMb: 1 },
	'10k-small': { images: 10_000, imageMb: 0.1 },
} as const;

export type PresetName = keyof typeof PRESETS;

const NUMBERS: Record<
	string,
	'images' | 'imageMb' | 'latencyS' | 'concurrency' | 'sequentialSample'
> = {
	'--images': 'images',
	'--image-mb': 'imageMb',
	'--latency-s': 'latencyS',
	'--concurrency': 'concurrency',
	'--sequential-sample': 'sequentialSample',
};

function isPreset(name: string): name is PresetName {
	return Object.prototype.hasOwnProperty.call(PRESETS, name);
}

/** A preset first sets the batch; numbers given beside it win. */
export function parseArgs(argv: string[]): BenchArgs {
	const presetAt = argv.indexOf('--preset');
	const preset = presetAt === -1 ? 'default' : argv[presetAt + 1];
	if (!isPreset(preset))
		throw new Error(`unknown preset ${preset ?? ''}; one of ${Object.keys(PRESETS).join(', ')}`);
	const args: BenchArgs = {
		preset,
		...PRESETS[preset],
		latencyS: 2,
		concurrency: 10,
		sequentialSample: 10,
		node: 'celantur',
		heapSnapshots: undefined,
		cpuProfile: undefined,
	};
	for (let i = 0; i < argv.length; i += 2) {
		const [name, text] = [argv[i], argv[i + 1]];
		if (name === '--preset') continue;
		if (name === '--node' && isBenchNode(text)) args.node = text;
		else if (name === '--heap-snapshots' && text) args.heapSnapshots = text;
		else if (name === '--cpu-profile' && text) args.cpuProfile = text;
		else {
			const key = NUMBERS[name];
			const value = Number(text);
			if (!key || !Number.isFinite(value) || value < 0)
				throw new Error(`bad argument ${name} ${text ?? ''}`);
			args[key] = value;
		}
	}
	return args;
}
