import type { IDataObject, IExecuteFunctions, INode, INodeProperties } from 'n8n-workflow';

import { inputError } from '../../../shared/helpers/input-errors';
import type { ResultWanted } from '../../../shared/helpers/task-result';
import {
	checkBoolean,
	checkChoice,
	checkNumber,
	type Checked,
} from '../../../shared/helpers/validate';
import { CREATE_SETTINGS, type CreateSettingName } from './create.settings';
import type { Setting, SettingPlace } from './setting';

// Everything here is made from the settings table: the editor's collections, the checks, the
// labels errors use and the create body.

type Collection = Exclude<SettingPlace, 'main'>;

const COLLECTIONS: Record<
	Collection,
	Pick<INodeProperties, 'displayName' | 'placeholder' | 'description'>
> = {
	options: { displayName: 'Options', placeholder: 'Add Option' },
	outputSettings: {
		displayName: 'Output Settings',
		placeholder: 'Add Setting',
		description:
			'What the anonymized image looks like: format, quality, masks, areas to leave alone, debug drawing',
	},
	detectionSettings: {
		displayName: 'Detection Settings',
		placeholder: 'Add Setting',
		description:
			'How sure Celantur must be before it anonymizes an object, and how strongly it blurs each kind of object',
	},
};

const ROWS = new Map<string, Setting>(CREATE_SETTINGS.map((row) => [row.field.name, row]));

function row(name: CreateSettingName): Setting {
	return ROWS.get(name)!;
}

/** The fields of their own (`in: 'main'`), as the editor shows them, in the table's order. */
export function mainFields(): INodeProperties[] {
	return CREATE_SETTINGS.filter((setting) => setting.in === 'main').map((setting) => setting.field);
}

/**
 * A collection of the table's settings, in the editor's alphabetical order; `names` picks some of
 * them, for operations that share a few of Create's options.
 */
export function settingsCollection(
	name: Collection,
	names?: CreateSettingName[],
	displayOptions?: INodeProperties['displayOptions'],
): INodeProperties {
	const options = CREATE_SETTINGS.filter(
		(setting) =>
			setting.in === name && (!names || (names as string[]).includes(setting.field.name)),
	)
		.map((setting) => setting.field)
		.sort((a, b) => a.displayName.localeCompare(b.displayName));
	return {
		...COLLECTIONS[name],
		name,
		type: 'collection',
		default: {},
		options,
		...(displayOptions ? { displayOptions } : {}),
	};
}

/** `quality` as "Output Settings > Quality (JPEG)", the path a person clicks through. */
function label(setting: Setting): string {
	return setting.in === 'main'
		? setting.field.displayName
		: `${COLLECTIONS[setting.in].displayName} > ${setting.field.displayName}`;
}

const isUnset = (value: unknown) => value === undefined || value === null || value === '';

/** A number within the limits its field offers in the editor. */
function checkBounded(field: INodeProperties, value: unknown): Checked<number> {
	const { minValue, maxValue, numberPrecision } = field.typeOptions ?? {};
	return checkNumber(
		value,
		typeof minValue === 'number' ? minValue : -Infinity,
		typeof maxValue === 'number' ? maxValue : Infinity,
		numberPrecision === 0,
	);
}

function choices(field: INodeProperties): string[] {
	return (field.options ?? []).map((option) => String((option as { value: unknown }).value));
}

/** What one field's value must be, judged from the field itself. */
function checkField(field: INodeProperties, value: unknown, path: string): Checked<unknown> {
	switch (field.type) {
		case 'number':
			return checkBounded(field, value);
		case 'boolean':
			return checkBoolean(value);
		case 'options':
			return checkChoice(value, choices(field));
		case 'multiOptions': {
			const picked = Array.isArray(value)
				? value
				: typeof value === 'string'
					? value.split(',').map((entry) => entry.trim())
					: [];
			const refused = picked.map((entry) => checkChoice(entry, choices(field))).find((c) => !c.ok);
			if (picked.length === 0 || refused)
				return {
					ok: false,
					allowed: `at least one of ${choices(field).join(', ')} must be chosen`,
				};
			return { ok: true, value: picked };
		}
		case 'fixedCollection':
			throw new Error(`${path}: a fixedCollection is checked entry by entry`);
		default:
			return typeof value === 'string' && value.trim() !== ''
				? { ok: true, value: value.trim() }
				: { ok: false, allowed: 'it must be a text that is not empty' };
	}
}

/**
 * What reading settings needs of n8n's context: the node, and its parameters by item. An
 * execution's context is one; a webhook's takes no item, so it is adapted (create.resume.ts).
 */
export interface SettingsSource {
	getNode(): INode;
	getNodeParameter(name: string, itemIndex: number, fallback?: unknown): unknown;
}

/** The settings one item asked for: each checked, or the field's default where it set none. */
export interface ItemSettings {
	number(name: CreateSettingName): number;
	flag(name: CreateSettingName): boolean;
	text(name: CreateSettingName): string;
	/** The create body: every setting with a request-body name that the item set. */
	body(): IDataObject;
}

/**
 * Reads and checks the settings of `places` for one item. A bad value is refused with an error
 * that names the item, the field as the editor shows it, what it got and what is allowed.
 */
export function readSettings(
	ctx: SettingsSource,
	itemIndex: number,
	places: SettingPlace[],
): ItemSettings {
	const refuse = (path: string, value: unknown, allowed: string) =>
		inputError(ctx, itemIndex, path, value, allowed);
	const take = (path: string, value: unknown, checked: Checked<unknown>): unknown => {
		if (!checked.ok) throw refuse(path, value, checked.allowed);
		return checked.value;
	};
	/** A fixedCollection: a list of entries, each field of each checked; none set is unset. */
	const entries = (setting: Setting, value: unknown): unknown => {
		const [group] = (setting.field.options ?? []) as Array<{
			name: string;
			displayName: string;
			values: INodeProperties[];
		}>;
		const list = (value as IDataObject | undefined)?.[group.name];
		if (list === undefined) return undefined;
		if (!Array.isArray(list)) throw refuse(label(setting), value, 'it must be a list of entries');
		if (list.length === 0) return undefined;
		return list.map((entry: unknown, index) =>
			Object.fromEntries(
				group.values.map((field) => {
					const path = `${label(setting)} > ${group.displayName} ${index + 1} > ${field.displayName}`;
					const raw = (entry as IDataObject | null)?.[field.name];
					return [field.name, take(path, raw, checkField(field, raw, path))];
				}),
			),
		);
	};

	const values = new Map<string, unknown>();
	const readOne = (setting: Setting, value: unknown) => {
		if (isUnset(value)) return;
		const checked =
			setting.field.type === 'fixedCollection'
				? entries(setting, value)
				: take(
						label(setting),
						value,
						(setting.check ?? ((v: unknown) => checkField(setting.field, v, label(setting))))(
							value,
						),
					);
		if (checked !== undefined) values.set(setting.field.name, checked);
	};
	for (const place of places) {
		if (place === 'main') {
			for (const setting of CREATE_SETTINGS.filter((s) => s.in === 'main'))
				readOne(
					setting,
					ctx.getNodeParameter(setting.field.name, itemIndex, setting.field.default),
				);
			continue;
		}
		const collection = ctx.getNodeParameter(place, itemIndex, {}) as unknown;
		if (typeof collection !== 'object' || collection === null || Array.isArray(collection))
			throw refuse(COLLECTIONS[place].displayName, collection, 'it must be a set of options');
		for (const [name, value] of Object.entries(collection)) {
			const setting = ROWS.get(name);
			if (!setting || setting.in !== place)
				throw refuse(
					`${COLLECTIONS[place].displayName} > ${name}`,
					value,
					'it is not a setting of this node',
				);
			readOne(setting, value);
		}
	}

	const valueOf = (name: CreateSettingName): unknown =>
		values.has(name) ? values.get(name) : row(name).field.default;
	return {
		number: (name) => valueOf(name) as number,
		flag: (name) => valueOf(name) as boolean,
		text: (name) => String(valueOf(name)),
		body() {
			const body: IDataObject = {};
			for (const [name, value] of values) {
				const { api } = ROWS.get(name)!;
				if (typeof api === 'string') body[api] = value as IDataObject[string];
				else if (api) Object.assign(body, api(value));
			}
			return body;
		},
	};
}

/**
 * Poll interval and concurrency steer the whole batch, so they come from the first item. Where
 * its options are bad the defaults hold, and that item's own check reports the value.
 */
export function batchSettings(ctx: IExecuteFunctions): {
	pollIntervalMs: number;
	concurrency: number;
	waitMode: string;
	timeoutSeconds: number;
} {
	let settings: ItemSettings | undefined;
	try {
		if (ctx.getInputData().length > 0) settings = readSettings(ctx, 0, ['options']);
	} catch {
		settings = undefined;
	}
	const number = (name: CreateSettingName) =>
		settings?.number(name) ?? (row(name).field.default as number);
	return {
		pollIntervalMs: number('pollInterval') * 1000,
		concurrency: number('concurrency'),
		waitMode: settings?.text('waitMode') ?? 'poll',
		timeoutSeconds: number('timeout'),
	};
}

/** What to do with a finished task's result, as the item's Options say. */
export function resultOptions(
	settings: ItemSettings,
): Pick<ResultWanted, 'outputProperty' | 'includeMetadata' | 'deleteAfterDownload'> {
	return {
		outputProperty: settings.text('outputBinaryPropertyName'),
		includeMetadata: settings.flag('includeMetadata'),
		deleteAfterDownload: settings.flag('deleteFilesAfterDownload'),
	};
}
