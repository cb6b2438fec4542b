// Step 3: the credential dialog's Test button, through n8n's REST API: the right password passes,
// a wrong one fails with Celantur's own words.
import { DEFAULT_USER } from '../../emulator';
import type { E2eContext } from '../context';
import { CREDENTIAL } from '../fixtures';
import type { StepContext } from '../reporter';

export async function testCredential(ctx: E2eContext, step: StepContext): Promise<void> {
	const data = {
		email: DEFAULT_USER.username,
		password: DEFAULT_USER.password,
		baseUrl: ctx.emulator.baseUrl,
	};
	const before = ctx.emulator.counters();

	const right = await ctx.rest.testCredential({ ...CREDENTIAL, data });
	step.figure('right password', `${right.status}${right.message ? ` "${right.message}"` : ''}`);
	step.check(right.status === 'OK', `the right password tested ${right.status}: ${right.message}`);

	const afterRight = ctx.emulator.counters();
	step.check(afterRight.signin > before.signin, 'testing with the right password did not sign in');
	step.check(
		afterRight.listTasks > before.listTasks,
		'testing with the right password made no authenticated call (GET /task/list)',
	);

	const wrong = await ctx.rest.testCredential({
		...CREDENTIAL,
		data: { ...data, password: 'not-the-password' },
	});
	step.figure('wrong password', `${wrong.status} "${wrong.message}"`);
	step.check(wrong.status === 'Error', `a wrong password tested ${wrong.status}`);
	step.check(
		/Incorrect username or password/.test(wrong.message),
		`the failure does not say "Incorrect username or password": "${wrong.message}"`,
	);
}
