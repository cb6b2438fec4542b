// GET /v2/task/list: filters, pagination, limit clamping and the documented errors.
import { DEFAULT_USER, startEmulator, type Emulator } from '../index';
import { makeTestImage } from '../images';
import { createTask, http, obj, runTask, signIn, type JsonObject } from '../testkit';

const day = (offset: number): string =>
	new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
// Wide enough that a run across midnight UTC still sees every task.
const RANGE = `create_time_after=${day(-1)}&create_time_before=${day(2)}`;

describe('emulator: GET /v2/task/list', () => {
	let emu: Emulator;
	let token: string;
	const ids: number[] = [];
	let doneId: number;

	beforeAll(async () => {
		const other = { username: 'other@celantur.test', password: 'pw' };
		emu = await startEmulator({ users: [DEFAULT_USER, other] });
		token = await signIn(emu);
		for (let i = 0; i < 24; i++)
			ids.push(
				Number(
					(await createTask(emu, token, { anonymization_method: 'blur', face: true })).task_id,
				),
			);
		const image = makeTestImage({ format: 'png', width: 32, height: 32, objects: [] });
		const done = await runTask(emu, token, { anonymization_method: 'blur', face: true }, image);
		doneId = Number(done.task_id);
		ids.push(doneId);
		// Another customer's tasks must never show up.
		const otherToken = await signIn(emu, other);
		for (let i = 0; i < 3; i++)
			await createTask(emu, otherToken, { anonymization_method: 'blur', face: true });
	});
	afterAll(() => emu.close());

	const list = async (query: string): Promise<{ status: number; body: JsonObject }> => {
		const response = await http('GET', `${emu.baseUrl}/task/list?${query}`, { token });
		return { status: response.status, body: obj(response.json) };
	};

	it('pages oldest first with the default limit of 10; next_page_key is the last id, null at the end', async () => {
		const first = await list(RANGE);
		expect(first.status).toBe(200);
		expect(first.body).toMatchObject({ limit: 10, count: 10, next_page_key: ids[9] });
		const items = first.body.items as JsonObject[];
		expect(items.map((item) => item.task_id)).toEqual(ids.slice(0, 10));
		expect(Object.keys(items[0]).sort()).toEqual(['create_time', 'task_id', 'task_status']);
		expect(items[0].create_time).toBe(emu.task(ids[0])?.createTime);
		expect(items[0].task_status).toBe('new');

		const second = await list(`${RANGE}&next_page_key=${first.body.next_page_key}`);
		expect(second.body).toMatchObject({ limit: 10, count: 10, next_page_key: ids[19] });
		expect((second.body.items as JsonObject[]).map((item) => item.task_id)).toEqual(
			ids.slice(10, 20),
		);

		const third = await list(`${RANGE}&next_page_key=${second.body.next_page_key}`);
		expect(third.body).toMatchObject({ limit: 10, count: 5, next_page_key: null });
		expect((third.body.items as JsonObject[]).map((item) => item.task_id)).toEqual(ids.slice(20));
	});

	it("walks every page to exactly the customer's tasks", async () => {
		const seen: number[] = [];
		let key: unknown = undefined;
		for (let page = 0; page < 10; page++) {
			const { body } = await list(`${RANGE}${key ? `&next_page_key=${key}` : ''}`);
			seen.push(...(body.items as JsonObject[]).map((item) => Number(item.task_id)));
			key = body.next_page_key;
			if (key === null) break;
		}
		expect(key).toBeNull();
		expect(seen).toEqual(ids);
	});

	it.each([
		['3', 10, 10],
		['-5', 10, 10],
		['0', 10, 10],
		['12', 12, 12],
		['300', 300, 25],
		['1000', 300, 25],
	])('clamps limit=%s to %d', async (limit, expected, count) => {
		const { body } = await list(`${RANGE}&limit=${limit}`);
		expect(body.limit).toBe(expected);
		expect(body.count).toBe(count);
	});

	it('ends with next_page_key null when the last page is exactly full', async () => {
		const { body } = await list(`${RANGE}&limit=25`);
		expect(body).toMatchObject({ count: 25, next_page_key: null });
	});

	it('filters by task_status', async () => {
		const done = await list(`${RANGE}&task_status=done`);
		expect((done.body.items as JsonObject[]).map((item) => item.task_id)).toEqual([doneId]);
		const fresh = await list(`${RANGE}&task_status=new&limit=300`);
		expect(fresh.body.count).toBe(24);
		const failed = await list(`${RANGE}&task_status=failed`);
		expect(failed.body).toMatchObject({ count: 0, items: [], next_page_key: null });
	});

	it('filters by creation day: after is inclusive, before is exclusive (UTC days)', async () => {
		expect(
			(await list(`create_time_after=${day(1)}&create_time_before=${day(3)}`)).body.count,
		).toBe(0);
		expect(
			(await list(`create_time_after=${day(-3)}&create_time_before=${day(-1)}`)).body.count,
		).toBe(0);
		const today = await list(`create_time_after=${day(0)}&create_time_before=${day(1)}&limit=300`);
		const yesterdayToo = await list(
			`create_time_after=${day(-1)}&create_time_before=${day(1)}&limit=300`,
		);
		// Unless the run straddles midnight, every task was created today.
		expect(today.body.count as number).toBeGreaterThan(0);
		expect(yesterdayToo.body.count).toBe(25);
	});

	const error = (text: string) => ({ status: 400, body: { status_code: 400, error: text } });

	it.each([
		['', 'No create_time_* parameters have been specified.'],
		['task_status=done', 'No create_time_* parameters have been specified.'],
		[
			`create_time_after=${day(0)}`,
			'Please enter a properly formatted time for the create_time_before value. Correct format: YYYY-MM-DD',
		],
		[
			`create_time_before=${day(0)}`,
			'Please enter a properly formatted time for the create_time_after value. Correct format: YYYY-MM-DD',
		],
		[
			`create_time_after=${day(0)}&create_time_before=2024/01/01`,
			'Please enter a properly formatted time for the create_time_before value. Correct format: YYYY-MM-DD',
		],
		[
			`create_time_after=${day(0)}&create_time_before=2099-02-30`,
			'Please enter a properly formatted time for the create_time_before value. Correct format: YYYY-MM-DD',
		],
		[
			`create_time_after=01-01-2024&create_time_before=${day(1)}`,
			'Please enter a properly formatted time for the create_time_after value. Correct format: YYYY-MM-DD',
		],
		[
			`create_time_after=${day(0)}T00:00:00&create_time_before=${day(1)}`,
			'Please enter a properly formatted time for the create_time_after value. Correct format: YYYY-MM-DD',
		],
		[
			`create_time_after=${day(0)}&create_time_before=${day(0)}`,
			'Please check your create_time_* parameters. create_time_after can not be later than/equal to create_time_before.',
		],
		[
			`create_time_after=${day(1)}&create_time_before=${day(0)}`,
			'Please check your create_time_* parameters. create_time_after can not be later than/equal to create_time_before.',
		],
		[
			`${RANGE}&task_status=finished`,
			"Please enter a correct task_status. Task status value can only be one of ['new', 'queued', 'processing', 'done', 'failed']",
		],
		[
			`${RANGE}&task_status=DONE`,
			"Please enter a correct task_status. Task status value can only be one of ['new', 'queued', 'processing', 'done', 'failed']",
		],
		[`${RANGE}&next_page_key=abc`, 'Wrong format for task_id. Please enter an integer.'],
		[`${RANGE}&next_page_key=1.5`, 'Wrong format for task_id. Please enter an integer.'],
		[`${RANGE}&next_page_key=`, 'Wrong format for task_id. Please enter an integer.'],
		[`${RANGE}&limit=ten`, 'Wrong format for limit. Please enter an integer.'],
	])('refuses ?%s', async (query, text) => {
		expect(await list(query)).toEqual(error(text));
	});
});
