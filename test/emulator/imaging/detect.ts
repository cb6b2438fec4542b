import type { ObjectType } from '../types';
import type { Raster } from './codec';
import { OBJECT_TYPES, classifyPixel, isCorePixel, scoreFromValue } from './colorkey';

// Module-local Math functions: global lookups are ~30x slower inside jest's vm sandbox.
const { max, min } = Math;

export interface Box {
	/** Inclusive left/top, exclusive right/bottom, in pixels. */
	x1: number;
	y1: number;
	x2: number;
	y2: number;
}

export interface FoundObject {
	type: ObjectType;
	box: Box;
	score: number;
}

interface Component {
	type: number;
	box: Box;
	pixels: number;
	/** Histogram of the brightness of core (strongly saturated) pixels: the score lives there. */
	coreValues: Uint32Array;
}

const MIN_PIXELS = 24;
const SPECK_PIXELS = 8;
const MIN_SIDE = 4;

/**
 * Finds colour-keyed objects: connected regions of key pixels of one type. Fragments of one
 * frame (JPEG can break a thin ring) are merged when their boxes overlap. Deterministic:
 * the same pixels give the same list, ordered top to bottom, then left to right.
 */
export function detectObjects(image: Raster): FoundObject[] {
	const { width, height, data } = image;
	const labels = new Int8Array(width * height).fill(-1);
	let any = false;
	for (let p = 0, i = 0; p < labels.length; p++, i += 4) {
		const label = classifyPixel(data[i], data[i + 1], data[i + 2]);
		if (label >= 0) {
			labels[p] = label;
			any = true;
		}
	}
	if (!any) return [];

	const components: Component[] = [];
	const stack = new Int32Array(width * height);
	for (let start = 0; start < labels.length; start++) {
		const type = labels[start];
		if (type < 0) continue;
		const component: Component = {
			type,
			box: { x1: width, y1: height, x2: 0, y2: 0 },
			pixels: 0,
			coreValues: new Uint32Array(256),
		};
		labels[start] = -2 - type; // visited marker, keeps the type recoverable
		let top = 0;
		stack[top++] = start;
		const visit = (q: number): void => {
			labels[q] = -2 - type;
			stack[top++] = q;
		};
		while (top > 0) {
			const p = stack[--top];
			const x = p % width;
			const y = (p - x) / width;
			component.pixels++;
			if (x < component.box.x1) component.box.x1 = x;
			if (y < component.box.y1) component.box.y1 = y;
			if (x + 1 > component.box.x2) component.box.x2 = x + 1;
			if (y + 1 > component.box.y2) component.box.y2 = y + 1;
			const i = p * 4;
			if (isCorePixel(data[i], data[i + 1], data[i + 2])) {
				component.coreValues[max(data[i], data[i + 1], data[i + 2])]++;
			}
			if (x > 0 && labels[p - 1] === type) visit(p - 1);
			if (x + 1 < width && labels[p + 1] === type) visit(p + 1);
			if (y > 0 && labels[p - width] === type) visit(p - width);
			if (y + 1 < height && labels[p + width] === type) visit(p + width);
		}
		components.push(component);
	}

	// Lone specks (JPEG ringing) are dropped first; merging then only joins real fragments.
	const merged = mergeOverlapping(components.filter((c) => c.pixels >= SPECK_PIXELS)).filter(
		(c) =>
			c.pixels >= MIN_PIXELS && c.box.x2 - c.box.x1 >= MIN_SIDE && c.box.y2 - c.box.y1 >= MIN_SIDE,
	);
	merged.sort((a, b) => a.box.y1 - b.box.y1 || a.box.x1 - b.box.x1);
	return merged.map((c) => ({
		type: OBJECT_TYPES[c.type],
		box: c.box,
		score: scoreFromValue(median(c.coreValues)),
	}));
}

function mergeOverlapping(components: Component[]): Component[] {
	const result = [...components];
	let changed = true;
	while (changed) {
		changed = false;
		outer: for (let a = 0; a < result.length; a++) {
			for (let b = a + 1; b < result.length; b++) {
				if (result[a].type !== result[b].type || !overlaps(result[a].box, result[b].box)) continue;
				const keep = result[a];
				const gone = result[b];
				keep.box = {
					x1: min(keep.box.x1, gone.box.x1),
					y1: min(keep.box.y1, gone.box.y1),
					x2: max(keep.box.x2, gone.box.x2),
					y2: max(keep.box.y2, gone.box.y2),
				};
				keep.pixels += gone.pixels;
				for (let v = 0; v < 256; v++) keep.coreValues[v] += gone.coreValues[v];
				result.splice(b, 1);
				changed = true;
				break outer;
			}
		}
	}
	return result;
}

function overlaps(a: Box, b: Box): boolean {
	return a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
}

function median(histogram: Uint32Array): number {
	let total = 0;
	for (const count of histogram) total += count;
	if (total === 0) return 0;
	let seen = 0;
	for (let v = 0; v < 256; v++) {
		seen += histogram[v];
		if (seen * 2 >= total) return v;
	}
	return 255;
}
