// Every number field of the Celantur node has one entry in OPTION_BOUNDS, the editor offers exactly
// that range (typeOptions), and the check behind the field accepts its ends and refuses just
// beyond them with a message that names the field. Walks the node's real description, so a new
// number field without a bound, or one side changed alone, fails here.
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { OPTION_BOUNDS, type Bounds } from '../../../../nodes/Celantur/helpers/option-bounds';
import { BodyError, buildCreateBody } from '../../../../nodes/Celantur/helpers/create-body';
import { readNodeOptions } from '../../../../nodes/Celantur/actions/task/shared';
import { Celantur } from '../../../../nodes/Celantur/Celantur.node';
import { MANUAL_START_TYPE, node, workflow } from '../../../harness';
import { celanturNode, startCelanturEnv, type CelanturEnv } from '../../../support/celantur-env';

interface NumberField {
	field: INodeProperties;
	/** The collection or fixedCollection it sits in, or undefined at the top level. */
	parent: string | undefined;
	/** The operations that show it. */
	operations: string[];
}

/** Every number field of the description, with where it sits; the same field in several operations once. */
function numberFields(properties: INodeProperties[]): NumberField[] {
	const found = new Map<string, NumberField>();
	const visit = (
		list: INodeProperties[],
		parent: string | undefined,
		operations: string[],
	): void => {
		for (const property of list) {
			const shownIn =
				(property.displayOptions?.show?.operation as string[] | undefined) ?? operations;
			if (property.type === 'number') {
				const key = `${parent ?? ''}>${property.name}`;
				const known = found.get(key);
				if (known) known.operations.push(...shownIn);
				else found.set(key, { field: property, parent, operations: [...shownIn] });
			}
			if (property.type === 'collection')
				visit((property.options ?? []) as INodeProperties[], property.name, shownIn);
			if (property.type === 'fixedCollection') {
				for (const group of (property.options ?? []) as Array<{ values: INodeProperties[] }>)
					visit(group.values, property.name, shownIn);
			}
		}
	};
	visit(properties, undefined, []);
	return [...found.values()];
}

const FIELDS = numberFields(new Celantur().description.properties);

const fakeContext = {
	getNode: () => ({
		id: 'n',
		name: 'Celantur',
		type: 'n8n-nodes-celantur.celantur',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	}),
} as unknown as IExecuteFunctions;

type Verdict = { accepted: true } | { accepted: false; message: string };

/** Runs the check that stands behind a field, as the node runs it, on one value. */
async function check(entry: NumberField, value: number, env: () => CelanturEnv): Promise<Verdict> {
	const { field, parent } = entry;
	const fromBody = (result: ReturnType<typeof buildCreateBody>): Verdict =>
		result instanceof BodyError
			? { accepted: false, message: `${result.field}: ${result.allowed}` }
			: { accepted: true };
	if (parent === 'outputSettings' || parent === 'detectionSettings') {
		return fromBody(buildCreateBody('blur', ['face'], { [field.name]: value }));
	}
	if (parent === 'ignoreAreas') {
		const area = { topLeftX: 0, topLeftY: 0, width: 1, height: 1, [field.name]: value };
		return fromBody(buildCreateBody('blur', ['face'], { ignoreAreas: { area: [area] } }));
	}
	if (parent === 'options') {
		try {
			readNodeOptions(fakeContext, 0, { [field.name]: value });
			return { accepted: true };
		} catch (error) {
			return { accepted: false, message: (error as Error).message };
		}
	}
	if (parent === undefined && field.name === 'limit') {
		const result = await env().harness.run(
			workflow([
				node('Start', MANUAL_START_TYPE),
				celanturNode('List', { operation: 'getMany', returnAll: false, limit: value }),
			]),
		);
		return result.error ? { accepted: false, message: result.error.message } : { accepted: true };
	}
	throw new Error(
		`no check is known for the number field ${parent ?? '(top level)'} > ${field.name}: teach this test where its check is`,
	);
}

/** Just beyond an end: a whole step for whole numbers, a hair for decimals. */
const step = (bounds: Bounds): number => (bounds.decimals === 0 ? 1 : 1e-6);

describe('option bounds: one table for the editor and the checks', () => {
	let env: CelanturEnv | undefined;
	const getEnv = (): CelanturEnv => {
		if (!env) throw new Error('the emulator is not running');
		return env;
	};
	beforeAll(async () => {
		env = await startCelanturEnv();
	});
	afterAll(async () => {
		await env?.close();
	});

	it('finds the number fields of every operation and collection', () => {
		const names = FIELDS.map(({ parent, field }) => `${parent ?? ''}>${field.name}`).sort();
		expect(names.length).toBeGreaterThanOrEqual(Object.keys(OPTION_BOUNDS).length);
		expect(names).toEqual(
			expect.arrayContaining([
				'options>pollInterval',
				'outputSettings>quality',
				'detectionSettings>kernelSizeFace',
				'ignoreAreas>width',
				'>limit',
			]),
		);
	});

	it('has no entry that no field uses', () => {
		const used = new Set(FIELDS.map(({ field }) => field.name));
		expect(Object.keys(OPTION_BOUNDS).filter((name) => !used.has(name))).toEqual([]);
	});

	describe.each(
		FIELDS.map((entry) => [`${entry.parent ?? '(top)'} > ${entry.field.name}`, entry] as const),
	)('%s', (_label, entry) => {
		const { field } = entry;
		const bounds = (OPTION_BOUNDS as Record<string, Bounds | undefined>)[field.name];

		it('has a bound in the table', () => {
			expect(bounds).toBeDefined();
		});

		it('offers in the editor exactly the table’s range', () => {
			if (!bounds) throw new Error(`${field.name} has no entry in OPTION_BOUNDS`);
			expect(field.typeOptions?.minValue).toBe(bounds.min);
			expect(field.typeOptions?.maxValue).toBe(bounds.max === Infinity ? undefined : bounds.max);
			expect(field.typeOptions?.numberPrecision).toBe(bounds.decimals);
			expect(field.default).toBeGreaterThanOrEqual(bounds.min);
			expect(field.default).toBeLessThanOrEqual(bounds.max);
		});

		it('is checked to the same range: both ends pass, just beyond them is refused naming the field', async () => {
			if (!bounds) throw new Error(`${field.name} has no entry in OPTION_BOUNDS`);
			const named = (verdict: Verdict): void => {
				expect(verdict.accepted).toBe(false);
				if (!verdict.accepted)
					expect(
						verdict.message.includes(field.name) || verdict.message.includes(field.displayName),
					).toBe(true);
			};
			expect(await check(entry, bounds.min, getEnv)).toEqual({ accepted: true });
			named(await check(entry, bounds.min - step(bounds), getEnv));
			if (bounds.max !== Infinity) {
				expect(await check(entry, bounds.max, getEnv)).toEqual({ accepted: true });
				named(await check(entry, bounds.max + step(bounds), getEnv));
			} else {
				expect(await check(entry, bounds.min + 1_000_000, getEnv)).toEqual({ accepted: true });
			}
			// Whole-number fields refuse a fraction the editor could not enter either.
			if (bounds.decimals === 0) named(await check(entry, bounds.min + 0.5, getEnv));
		});
	});
});
