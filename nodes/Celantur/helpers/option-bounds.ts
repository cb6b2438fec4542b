import type { INodeProperties } from 'n8n-workflow';

import { checkNumber, type Checked } from '../../shared/helpers/validate';

/**
 * The limits of a number field. `decimals` is what the editor offers; 0 means whole numbers,
 * which the check demands too. With more decimals the check also takes finer values (from
 * expressions), so the editor never offers what the check refuses.
 */
export interface Bounds {
	min: number;
	/** Infinity: no upper limit. */
	max: number;
	decimals?: number;
}

const kernelSize: Bounds = { min: 0, max: 1000, decimals: 2 };
const gradient: Bounds = { min: 0, max: 10, decimals: 2 };
const threshold: Bounds = { min: 0, max: 1, decimals: 2 };

/**
 * Every number field of the node, by parameter name: the one table both the editor's typeOptions
 * (minValue, maxValue, numberPrecision) and the checks that refuse bad values are made from. A
 * test walks the node's description and fails on a number field that is missing here.
 */
export const OPTION_BOUNDS = {
	pollInterval: { min: 0.1, max: 300, decimals: 1 },
	timeout: { min: 1, max: 86_400 },
	concurrency: { min: 1, max: 50, decimals: 0 },
	limit: { min: 1, max: Infinity, decimals: 0 },
	maskScale: { min: 1, max: 100, decimals: 0 },
	quality: { min: 0, max: 100, decimals: 0 },
	compressLevel: { min: 0, max: 9, decimals: 0 },
	topLeftX: { min: 0, max: Infinity, decimals: 0 },
	topLeftY: { min: 0, max: Infinity, decimals: 0 },
	width: { min: 1, max: Infinity, decimals: 0 },
	height: { min: 1, max: Infinity, decimals: 0 },
	kernelSizeFace: kernelSize,
	kernelSizePerson: kernelSize,
	kernelSizeLicensePlate: kernelSize,
	kernelSizeVehicle: kernelSize,
	faceGradientStart: gradient,
	faceGradientStop: gradient,
	licensePlateGradientStart: gradient,
	licensePlateGradientStop: gradient,
	faceThreshold: threshold,
	personThreshold: threshold,
	licensePlateThreshold: threshold,
	vehicleThreshold: threshold,
} as const satisfies Record<string, Bounds>;

export type BoundedOption = keyof typeof OPTION_BOUNDS;

/** The editor's side of a field's bounds. */
export function boundsTypeOptions(name: BoundedOption): INodeProperties['typeOptions'] {
	const bounds: Bounds = OPTION_BOUNDS[name];
	return {
		minValue: bounds.min,
		...(bounds.max === Infinity ? {} : { maxValue: bounds.max }),
		...(bounds.decimals === undefined ? {} : { numberPrecision: bounds.decimals }),
	};
}

/** The checks' side: the value as a number within the field's bounds, or what is allowed. */
export function checkBounded(name: BoundedOption, value: unknown): Checked<number> {
	const bounds: Bounds = OPTION_BOUNDS[name];
	return checkNumber(value, bounds.min, bounds.max, bounds.decimals === 0);
}
