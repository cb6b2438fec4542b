import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { openEndDay } from '../../../shared/helpers/days';
import { inputError } from '../../../shared/helpers/input-errors';
import { checkChoice, checkDay, checkNumber } from '../../../shared/helpers/validate';
import type { CelanturClient } from '../../../shared/transport/client';
import { MAX_PAGE_SIZE, taskListPages } from '../../../shared/transport/pagination';
import { forOperation, toolDescriptionField } from './fields';

const STATUSES = ['new', 'queued', 'processing', 'done', 'failed'] as const;
/** Before Celantur's API v2 existed, so "from the beginning" needs no date from the user. */
const EARLIEST_DAY = '2000-01-01';

const properties: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1, numberPrecision: 0 },
		default: 50,
		displayOptions: { show: { returnAll: [false] } },
		description: 'Max number of results to return',
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Created After (UTC Day)',
				name: 'createdAfter',
				type: 'dateTime',
				default: '',
				description:
					'Only tasks created after this day. Celantur filters by whole days in UTC: a time of day is ignored. Unset: from the first task.',
			},
			{
				displayName: 'Created Before (UTC Day)',
				name: 'createdBefore',
				type: 'dateTime',
				default: '',
				description:
					'Only tasks created before this day. Celantur filters by whole days in UTC: a time of day is ignored. Unset: up to now.',
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				options: [
					{ name: 'Done', value: 'done' },
					{ name: 'Failed', value: 'failed' },
					{
						name: 'New',
						value: 'new',
						description: 'Created, waiting for an upload or a start request',
					},
					{ name: 'Processing', value: 'processing' },
					{ name: 'Queued', value: 'queued' },
				],
				default: 'done',
			},
		],
	},
	toolDescriptionField(
		'getMany',
		'Lists Celantur anonymization tasks, newest last. Returns JSON items, each a task with task_id, task_status (new, queued, processing, done or failed) and create_time.',
	),
];

export const description = forOperation('getMany', properties);

interface ListRequest {
	filters: IDataObject;
	limit: number;
}

export function check(this: IExecuteFunctions, itemIndex: number): ListRequest {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	let limit = Infinity;
	if (!returnAll) {
		const raw = this.getNodeParameter('limit', itemIndex, 50) as unknown;
		const checked = checkNumber(raw, 1, Infinity, true);
		if (!checked.ok) throw inputError(this, itemIndex, 'Limit', raw, checked.allowed);
		limit = checked.value;
	}
	const given = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const day = (name: string, label: string, fallback: string): string => {
		const value = given[name];
		if (value === undefined || value === null || value === '') return fallback;
		const checked = checkDay(value);
		if (!checked.ok)
			throw inputError(this, itemIndex, `Filters > ${label} (UTC Day)`, value, checked.allowed);
		return checked.value;
	};
	const after = day('createdAfter', 'Created After', EARLIEST_DAY);
	const before = day('createdBefore', 'Created Before', openEndDay());
	if (after >= before) {
		throw inputError(
			this,
			itemIndex,
			'Filters > Created After (UTC Day)',
			after,
			`it must be a day before Created Before (${before})`,
		);
	}
	const filters: IDataObject = { create_time_after: after, create_time_before: before };
	if (given.status !== undefined && given.status !== '') {
		const checked = checkChoice(given.status, STATUSES);
		if (!checked.ok)
			throw inputError(this, itemIndex, 'Filters > Status', given.status, checked.allowed);
		filters.task_status = checked.value;
	}
	return { filters, limit };
}

export async function run(
	this: IExecuteFunctions,
	itemIndex: number,
	job: ListRequest,
	client: CelanturClient,
): Promise<INodeExecutionData[]> {
	const tasks: INodeExecutionData[] = [];
	const remaining = () => (job.limit === Infinity ? MAX_PAGE_SIZE : job.limit - tasks.length);
	for await (const page of taskListPages(client, job.filters, remaining, itemIndex)) {
		for (const task of page) {
			if (tasks.length >= job.limit) break;
			tasks.push({ json: task });
		}
		if (tasks.length >= job.limit) break;
	}
	return tasks;
}
