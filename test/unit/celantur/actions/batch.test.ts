import type { IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { runBatch } from '../../../../nodes/Celantur/actions/batch';

const NODE: INode = {
	id: '1',
	name: 'Celantur',
	type: 'n8n-nodes-celantur.celantur',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** The few context calls runBatch makes; a helper's unit test, so a fake context is fine here. */
function context(continueOnFail: boolean): IExecuteFunctions {
	return {
		continueOnFail: () => continueOnFail,
		getNode: () => NODE,
		getExecutionCancelSignal: () => undefined,
	} as unknown as IExecuteFunctions;
}

const pause = async (ms: number) => await new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Items whose check takes longer the earlier they are, so later checks finish first; `bad` are refused. */
function checks(count: number, bad: number[]) {
	const checked: number[] = [];
	const prepare = async (itemIndex: number) => {
		await pause((count - itemIndex) * 3);
		checked.push(itemIndex);
		if (bad.includes(itemIndex))
			throw new NodeOperationError(NODE, `bad item ${itemIndex}`, { itemIndex });
		return itemIndex * 10;
	};
	return { prepare, checked };
}

describe('runBatch', () => {
	it('checks items several at a time but refuses with the first bad item in input order, before any work', async () => {
		const { prepare, checked } = checks(12, [3, 5]);
		const worked: number[] = [];
		const run = runBatch(context(false), 12, 2, prepare, async (itemIndex) => {
			worked.push(itemIndex);
			return [{ json: {} }];
		});
		await expect(run).rejects.toThrow('bad item 3');
		// Item 5 was checked alongside and refused first (its check is shorter), yet item 3 is the one reported.
		expect(checked).toContain(5);
		expect(checked.indexOf(5)).toBeLessThan(checked.indexOf(3));
		expect(worked).toEqual([]);
		// Items after the first refusal need no check once it is known.
		expect(checked).not.toContain(11);
	});

	it('with Continue On Fail, works the good items and keeps every outcome in input order', async () => {
		const { prepare } = checks(10, [2, 7]);
		const outcomes = await runBatch(context(true), 10, 3, prepare, async (itemIndex, value) => [
			{ json: { itemIndex, value } },
		]);
		expect(
			outcomes.map((outcome) =>
				outcome instanceof Error ? outcome.message : outcome[0].json.value,
			),
		).toEqual([0, 10, 'bad item 2', 30, 40, 50, 60, 'bad item 7', 80, 90]);
	});
});
