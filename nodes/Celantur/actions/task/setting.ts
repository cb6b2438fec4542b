import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { Checked } from '../../../shared/helpers/validate';

/** Where a setting is shown: a field of its own, or one of Create's three collections. */
export type SettingPlace = 'main' | 'options' | 'outputSettings' | 'detectionSettings';

/** One row of the settings table (create.settings.ts). */
export interface Setting<N extends string = string> {
	in: SettingPlace;
	/**
	 * Where the checked value goes in the create body: a field name, or a function for values that
	 * become several fields or another form. None: the setting steers the node and is not sent.
	 */
	api?: string | ((value: unknown) => IDataObject);
	/** A check beyond what the field's type implies (read-settings.ts); gives the value to use. */
	check?: (value: unknown) => Checked<unknown>;
	/** The editor field; a number's limits are its typeOptions, which the check also applies. */
	field: INodeProperties & { name: N };
}

/** A row, with its field's name kept as a literal type so the table's names are known. */
export function setting<N extends string>(row: Setting<N>): Setting<N> {
	return row;
}
