import type { IgnoreArea } from '../types';
import type { Box } from './detect';

// Module-local Math functions: global lookups are ~30x slower inside jest's vm sandbox.
const { abs, ceil, floor, max, min, sqrt } = Math;

/**
 * Where an anonymization applies, as a weight 0..1 per pixel.
 * `bbox: true` uses the whole box; otherwise the "segmentation" is the ellipse inscribed in the
 * box, so the box corners stay untouched. The optional gradient (faces and plates when blurring)
 * follows Celantur's rule: nothing outside the shape grown by `start`, full inside the shape
 * shrunk by `stop`, linear in between. Ignore areas always weigh 0.
 */
export interface ShapeSpec {
	box: Box;
	bbox: boolean;
	gradientStart: number;
	gradientStop: number;
	ignores: IgnoreArea[];
}

export class Shape {
	readonly extent: Box;
	private readonly cx: number;
	private readonly cy: number;
	private readonly halfW: number;
	private readonly halfH: number;

	constructor(
		private readonly spec: ShapeSpec,
		width: number,
		height: number,
	) {
		const { box } = spec;
		this.cx = (box.x1 + box.x2) / 2;
		this.cy = (box.y1 + box.y2) / 2;
		this.halfW = (box.x2 - box.x1) / 2;
		this.halfH = (box.y2 - box.y1) / 2;
		const grow = 1 + spec.gradientStart;
		this.extent = {
			x1: max(0, floor(this.cx - this.halfW * grow)),
			y1: max(0, floor(this.cy - this.halfH * grow)),
			x2: min(width, ceil(this.cx + this.halfW * grow)),
			y2: min(height, ceil(this.cy + this.halfH * grow)),
		};
	}

	/** Normalised distance from the centre: 1 on the shape's outline. Sampled at pixel centres. */
	distance(x: number, y: number): number {
		const dx = abs(x + 0.5 - this.cx) / this.halfW;
		const dy = abs(y + 0.5 - this.cy) / this.halfH;
		return this.spec.bbox ? max(dx, dy) : sqrt(dx * dx + dy * dy);
	}

	weight(x: number, y: number): number {
		if (isIgnored(this.spec.ignores, x, y)) return 0;
		const d = this.distance(x, y);
		const { gradientStart: start, gradientStop: stop } = this.spec;
		if (start + stop === 0) return d <= 1 ? 1 : 0;
		const full = 1 - stop;
		const none = 1 + start;
		if (d <= full) return 1;
		if (d >= none) return 0;
		return (none - d) / (none - full);
	}
}

export function isIgnored(ignores: IgnoreArea[], x: number, y: number): boolean {
	for (const area of ignores) {
		if (
			x >= area.topLeftX &&
			x < area.topLeftX + area.width &&
			y >= area.topLeftY &&
			y < area.topLeftY + area.height
		) {
			return true;
		}
	}
	return false;
}

/** An object counts as not anonymised when one ignore area covers its whole box. */
export function isFullyIgnored(ignores: IgnoreArea[], box: Box): boolean {
	return ignores.some(
		(area) =>
			area.topLeftX <= box.x1 &&
			area.topLeftY <= box.y1 &&
			area.topLeftX + area.width >= box.x2 &&
			area.topLeftY + area.height >= box.y2,
	);
}
