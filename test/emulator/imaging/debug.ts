import type { Raster } from './codec';
import type { Box } from './detect';

// Module-local Math functions: global lookups are ~30x slower inside jest's vm sandbox.
const { max, min, round } = Math;

const BOX_COLOUR: [number, number, number] = [0, 255, 0];
const SCORE_COLOUR: [number, number, number] = [255, 255, 0];

/**
 * `debug`: a 2 px green outline on each reported detection's box. `score` (only with debug):
 * a 4 px yellow bar above the box (inside it at the top edge) whose length is score x width,
 * a graphical stand-in for the printed number.
 */
export function drawDebug(
	target: Raster,
	items: Array<{ box: Box; score: number }>,
	withScore: boolean,
): void {
	for (const { box, score } of items) {
		fill(target, { x1: box.x1, y1: box.y1, x2: box.x2, y2: box.y1 + 2 }, BOX_COLOUR);
		fill(target, { x1: box.x1, y1: box.y2 - 2, x2: box.x2, y2: box.y2 }, BOX_COLOUR);
		fill(target, { x1: box.x1, y1: box.y1, x2: box.x1 + 2, y2: box.y2 }, BOX_COLOUR);
		fill(target, { x1: box.x2 - 2, y1: box.y1, x2: box.x2, y2: box.y2 }, BOX_COLOUR);
		if (withScore) {
			const top = box.y1 >= 6 ? box.y1 - 6 : box.y1 + 2;
			const length = max(1, round(score * (box.x2 - box.x1)));
			fill(target, { x1: box.x1, y1: top, x2: box.x1 + length, y2: top + 4 }, SCORE_COLOUR);
		}
	}
}

function fill(target: Raster, box: Box, colour: [number, number, number]): void {
	const x1 = max(0, box.x1);
	const y1 = max(0, box.y1);
	const x2 = min(target.width, box.x2);
	const y2 = min(target.height, box.y2);
	for (let y = y1; y < y2; y++) {
		for (let x = x1; x < x2; x++) {
			const i = (y * target.width + x) * 4;
			target.data[i] = colour[0];
			target.data[i + 1] = colour[1];
			target.data[i + 2] = colour[2];
		}
	}
}
