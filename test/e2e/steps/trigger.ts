// Step 4: a workflow with the Celantur Trigger (verify task, download result) is imported and
// published; a task created at the emulator with the trigger's production URL as its webhook
// starts exactly one execution, whose item is the verified task with the anonymized image.
// Malformed, unknown and repeated callbacks start none.
import path from 'node:path';

import { DEFAULT_USER } from '../../emulator';
import { decodeImage, regionDiff } from '../../emulator/images';
import { createTask, http, signIn, upload } from '../../emulator/testkit';
import type { E2eContext } from '../context';
import { parseFlatted } from '../flatted';
import {
	TEST_IMAGES,
	TRIGGER_WEBHOOK_ID,
	TRIGGER_WORKFLOW_ID,
	inner,
	writeTriggerWorkflow,
} from '../fixtures';
import type { StepContext } from '../reporter';
import type { ExecutionSummary } from '../rest-client';
import { binaryBytes, nodeOutput } from '../run-data';
import { sleep, waitFor } from '../wait';

export async function triggerOnCallback(ctx: E2eContext, step: StepContext): Promise<void> {
	const file = path.join(ctx.work, 'trigger.json');
	writeTriggerWorkflow(file);
	await ctx.n8n.mustCli(['import:workflow', `--input=${file}`], /Successfully imported 1 workflow/);
	const workflow = await ctx.rest.workflow(TRIGGER_WORKFLOW_ID);
	const activated = await ctx.rest.activateWorkflow(TRIGGER_WORKFLOW_ID, workflow.versionId);
	step.require(
		activated.active === true,
		`the workflow is not active after publishing: ${JSON.stringify({ active: activated.active, activeVersionId: activated.activeVersionId })}`,
	);
	step.figure('published version', activated.activeVersionId ?? '?');

	const webhookUrl = `${ctx.n8n.baseUrl}/webhook/${TRIGGER_WEBHOOK_ID}/webhook`;
	const executions = (): Promise<ExecutionSummary[]> => ctx.rest.executions(TRIGGER_WORKFLOW_ID);

	// A malformed callback reaches the trigger (not n8n's 404 for an unknown webhook) and is refused.
	// n8n 2.41 registers a published workflow's webhooks shortly after /activate answers.
	const registered = Date.now();
	const malformed = await waitFor('the webhook to be registered', 15_000, async () => {
		const answer = await http('POST', webhookUrl, { body: { hello: 'world' } });
		return answer.status === 404 && /not registered/i.test(answer.text) ? undefined : answer;
	});
	step.figure('webhook live after', `${Date.now() - registered} ms`);
	step.figure('malformed callback', malformed.status);
	step.check(
		malformed.status === 400,
		`a callback without task_id answered ${malformed.status} ${malformed.text.slice(0, 200)}`,
	);
	const unknown = await http('POST', webhookUrl, {
		body: { task_id: 987654321, task_status: 'done' },
	});
	step.figure('unknown task', unknown.status);
	step.check(
		unknown.status >= 400 && unknown.status < 500,
		`a callback for an unknown task answered ${unknown.status} ${unknown.text.slice(0, 200)}`,
	);

	// A real task, created with raw requests, whose webhook is the trigger's production URL.
	const image = TEST_IMAGES[0];
	const original = ctx.images.get(image.name);
	step.require(original !== undefined, 'no test image');
	const token = await signIn(ctx.emulator, DEFAULT_USER);
	const created = await createTask(ctx.emulator, token, {
		anonymization_method: 'pixelate',
		face: true,
		'license-plate': true,
		webhook: webhookUrl,
	});
	const taskId = Number(created.task_id);
	const put = await upload(
		String(created.upload_url),
		original,
		image.format === 'png' ? 'image/png' : 'image/jpeg',
	);
	step.require(put.status === 200, `upload answered ${put.status}`);
	const task = await waitFor('the emulator to call the webhook', 60_000, async () => {
		const t = ctx.emulator.task(taskId);
		return t && t.webhookDeliveries.length > 0 ? t : undefined;
	});
	const delivery = task.webhookDeliveries[0];
	step.figure('task', `${taskId}, webhook answered ${delivery.status ?? delivery.error}`);
	step.check(
		delivery.status === 200,
		`n8n answered the callback with ${delivery.status ?? delivery.error}`,
	);
	step.figure('answer', delivery.response ?? '');
	step.check(
		delivery.response === JSON.stringify({ received: true, task_id: taskId }),
		`the accepted callback was answered ${delivery.response ?? '(nothing)'}, not {"received":true,"task_id":${taskId}}`,
	);

	const done = await waitFor('the execution to finish', 60_000, async () => {
		const list = await executions();
		return list.find((execution) => !['new', 'running', 'waiting'].includes(execution.status));
	});
	step.figure('execution', `${done.id} ${done.status} (mode ${done.mode})`);
	step.check(done.status === 'success', `the execution ended ${done.status}`);
	const detail = await ctx.rest.execution(done.id);
	const runData = parseFlatted(detail.data);
	const items = nodeOutput(runData, 'Celantur Trigger') ?? [];
	step.require(items.length === 1, `the trigger put out ${items.length} items`);
	const [item] = items;
	step.check(
		Number(item.json.task_id) === taskId,
		`the item is task ${String(item.json.task_id)}, not ${taskId}`,
	);
	step.check(
		item.json.task_status === 'done',
		`the item's task_status is ${String(item.json.task_status)}`,
	);
	// Verified: the item is the task as GET /task/{id} serves it (with settings), not the bare callback.
	step.check(
		item.json.anonymization_method === 'pixelate',
		`the item is not the verified task (anonymization_method ${String(item.json.anonymization_method)})`,
	);
	step.check(nodeOutput(runData, 'Done')?.length === 1, 'the node after the trigger did not run');
	const binary = item.binary?.anonymized;
	if (
		step.check(
			binary !== undefined,
			`the item has no binary "anonymized" (binaries: ${Object.keys(item.binary ?? {}).join(',') || 'none'})`,
		) &&
		binary
	) {
		step.figure(
			'binary',
			`${binary.fileName} ${binary.mimeType} ${binary.fileSize ?? ''} ${binary.id ? 'by id' : 'inline'}`.trim(),
		);
		const bytes = await binaryBytes(binary, (id) => ctx.rest.binaryData(id));
		const decoded = decodeImage(bytes);
		step.check(
			decoded.width === image.width && decoded.height === image.height,
			`the downloaded result is ${decoded.width}x${decoded.height}`,
		);
		if (decoded.width === image.width && decoded.height === image.height) {
			const diffs = image.objects.map((object) => regionDiff(original, bytes, inner(object)));
			step.figure('object diff', diffs.map((d) => d.toFixed(1)).join('/'));
			step.check(
				diffs.every((d) => d > 25),
				`the downloaded result is not anonymized (diffs ${diffs.join(', ')})`,
			);
		}
	}

	// The same callback again: answered, but no second execution.
	const repeat = await http('POST', webhookUrl, { body: delivery.body });
	step.figure('repeated callback', `${repeat.status} ${repeat.text.slice(0, 80)}`);
	step.check(repeat.status === 200, `the repeated callback answered ${repeat.status}`);
	await sleep(1500);
	// What a restarted n8n, or another webhook process, would know: the record n8n saved.
	const saved =
		(await ctx.rest.workflow(TRIGGER_WORKFLOW_ID)).staticData?.['node:Celantur Trigger']
			?.emittedTaskIds ?? [];
	step.figure('saved record', JSON.stringify(saved));
	step.check(
		saved.includes(String(taskId)),
		`n8n saved the trigger's record as ${JSON.stringify(saved)}, without task ${taskId}`,
	);
	const all = await executions();
	step.figure('executions', all.length);
	step.check(
		all.length === 1,
		`the workflow ran ${all.length} times (malformed, unknown and repeated callbacks must start nothing)`,
	);
}
