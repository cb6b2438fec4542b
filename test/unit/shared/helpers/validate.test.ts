import fc from 'fast-check';

import { checkDay, checkNumber, checkTaskId } from '../../../../nodes/shared/helpers/validate';
import { normalizeTask } from '../../../../nodes/shared/transport/normalize';

describe('checkTaskId', () => {
	it('accepts every positive safe integer, as number or text', () => {
		fc.assert(
			fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (id) => {
				const asNumber = checkTaskId(id);
				const asText = checkTaskId(` ${id} `);
				return asNumber.ok && asText.ok && asNumber.value === id && asText.value === id;
			}),
		);
	});

	it('refuses anything that is not a positive whole number', () => {
		const bad = fc.oneof(
			fc.string().filter((s) => !/^\s*\d+\s*$/.test(s)),
			fc.double().filter((n) => !Number.isSafeInteger(n) || n <= 0),
			fc.constant(null),
			fc.constant(undefined),
			fc.boolean(),
			fc.array(fc.integer()),
		);
		fc.assert(fc.property(bad, (value) => !checkTaskId(value).ok));
		expect(checkTaskId('0').ok).toBe(false);
		expect(checkTaskId('99999999999999999999').ok).toBe(false);
		expect(checkTaskId('12a').ok).toBe(false);
	});
});

describe('checkNumber', () => {
	it('accepts exactly the values inside the range', () => {
		fc.assert(
			fc.property(
				fc.double({ noNaN: true, min: -1000, max: 1000 }),
				(n) => checkNumber(n, 0, 100).ok === (n >= 0 && n <= 100),
			),
		);
	});

	it('refuses fractions where whole numbers are needed', () => {
		expect(checkNumber(1.5, 0, 9, true).ok).toBe(false);
		expect(checkNumber('7', 0, 9, true)).toEqual({ ok: true, value: 7 });
	});
});

describe('checkDay', () => {
	it('turns any date into its UTC day', () => {
		fc.assert(
			fc.property(
				fc.date({ min: new Date('1990-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
				(date) => {
					const checked = checkDay(date.toISOString());
					return checked.ok && checked.value === date.toISOString().slice(0, 10);
				},
			),
		);
	});

	it('refuses text that is not a date', () => {
		for (const value of ['yesterday', '31/12/2024', '2024-13-45', 42, {}])
			expect(checkDay(value).ok).toBe(false);
	});
});

describe('normalizeTask', () => {
	it('turns numeric strings of numeric fields into numbers and leaves other text alone', () => {
		const task = normalizeTask({
			task_id: '1692464405235520',
			quality: '90',
			kernel_size_face: '0.35',
			face_threshold: '0.9',
			license_plate_anonymization_gradient_stop: '0',
			name: '123',
			format: 'whole',
		});
		expect(task).toEqual({
			task_id: 1692464405235520,
			quality: 90,
			kernel_size_face: 0.35,
			face_threshold: 0.9,
			license_plate_anonymization_gradient_stop: 0,
			name: '123',
			format: 'whole',
		});
	});
});
