import type { ObjectType } from '../types';

// Module-local Math functions: global lookups are ~30x slower inside jest's vm sandbox.
const { floor, max, min, round } = Math;

/**
 * The "detector" contract shared by the test-image maker and the emulator's detector.
 *
 * An object is a rectangle whose border (the frame) is painted in a fully saturated key colour
 * and whose inside is grey noise. The frame's hue names the type (hues 90 degrees apart, so JPEG
 * chroma error never moves a pixel into another type's sector), its brightness V encodes the
 * detection score (V = 100 + 155 * score), and the background is never saturated enough to match.
 */
export const OBJECT_TYPES: readonly ObjectType[] = ['face', 'license_plate', 'person', 'vehicle'];

export const TYPE_HUE: Readonly<Record<ObjectType, number>> = {
	face: 0,
	license_plate: 90,
	person: 180,
	vehicle: 270,
};

/** Numeric `type` of a metadata detection (face is 103 in the reference; the others are ours). */
export const TYPE_CODE: Readonly<Record<ObjectType, number>> = {
	person: 101,
	vehicle: 102,
	face: 103,
	license_plate: 104,
};

const V_MIN = 100;
const V_RANGE = 155;
/** A pixel is a key pixel when it is at least this bright and this saturated. */
export const KEY_MIN_VALUE = 80;
export const KEY_MIN_SATURATION = 0.5;
/** Pixels at least this saturated are used to read the score (edge pixels blend with grey). */
export const CORE_MIN_SATURATION = 0.8;
export const MIN_OBJECT_SIDE = 16;

export function keyColour(type: ObjectType, score: number): [number, number, number] {
	const value = round(V_MIN + V_RANGE * score);
	return hsvFullySaturated(TYPE_HUE[type], value);
}

export function scoreFromValue(value: number): number {
	const score = (value - V_MIN) / V_RANGE;
	return round(min(1, max(0, score)) * 100) / 100;
}

/** Frame thickness for a box: thick enough to survive JPEG's 2x2 chroma subsampling. */
export function frameThickness(width: number, height: number): number {
	return min(32, max(4, round(min(width, height) / 6)));
}

/** Index into OBJECT_TYPES, or -1 when the pixel is not a key pixel. */
export function classifyPixel(r: number, g: number, b: number): number {
	const hi = r > g ? (r > b ? r : b) : g > b ? g : b;
	if (hi < KEY_MIN_VALUE) return -1;
	const lo = r < g ? (r < b ? r : b) : g < b ? g : b;
	const chroma = hi - lo;
	if (chroma < KEY_MIN_SATURATION * hi) return -1;
	let hue: number;
	if (hi === r) hue = 60 * (((g - b) / chroma + 6) % 6);
	else if (hi === g) hue = 60 * ((b - r) / chroma + 2);
	else hue = 60 * ((r - g) / chroma + 4);
	// Sectors of +-45 degrees around 0, 90, 180, 270.
	return floor(((hue + 45) % 360) / 90);
}

export function isCorePixel(r: number, g: number, b: number): boolean {
	const hi = r > g ? (r > b ? r : b) : g > b ? g : b;
	const lo = r < g ? (r < b ? r : b) : g < b ? g : b;
	return hi - lo >= CORE_MIN_SATURATION * hi;
}

function hsvFullySaturated(hue: number, value: number): [number, number, number] {
	const sector = floor(hue / 60) % 6;
	const rising = round(value * ((hue % 60) / 60));
	const falling = value - rising;
	switch (sector) {
		case 0:
			return [value, rising, 0];
		case 1:
			return [falling, value, 0];
		case 2:
			return [0, value, rising];
		case 3:
			return [0, falling, value];
		case 4:
			return [rising, 0, value];
		default:
			return [value, 0, falling];
	}
}
