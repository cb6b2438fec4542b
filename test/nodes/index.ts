import type { ICredentialType, INodeType } from 'n8n-workflow';

import { AUTH_PROBE_TYPE, AuthProbe } from './AuthProbe.node';
import { COUNT_RUNS_TYPE, CountRuns } from './CountRuns.node';
import { FAIL_TYPE, Fail } from './Fail.node';
import { HARNESS_TOKEN_API, HarnessTokenApi } from './HarnessTokenApi.credentials';
import { MANUAL_START_TYPE, ManualStart } from './ManualStart.node';
import { PASS_THROUGH_TYPE, PassThrough } from './PassThrough.node';
import { READ_FIXTURE_TYPE, ReadFixture } from './ReadFixture.node';
import { SET_JSON_TYPE, SetJson } from './SetJson.node';
import { onSleepStart, SLEEP_TYPE, Sleep } from './Sleep.node';
import { WEBHOOK_PROBE_TYPE, WebhookProbe } from './WebhookProbe.node';

export { AUTH_PROBE_TYPE, FAIL_TYPE, HARNESS_TOKEN_API, MANUAL_START_TYPE, READ_FIXTURE_TYPE };
export { COUNT_RUNS_TYPE, PASS_THROUGH_TYPE, SET_JSON_TYPE, SLEEP_TYPE, WEBHOOK_PROBE_TYPE };
export { onSleepStart };
export type { FixtureEntry } from './ReadFixture.node';
export { startTokenServer, TOKEN_SERVER_PASSWORD, TOKEN_SERVER_USER } from './token-server';
export type { TokenServer } from './token-server';

/** Test-only node types every harness registers beside the ones a test passes in. */
export function testNodeTypes(): Record<string, INodeType> {
	return {
		[MANUAL_START_TYPE]: new ManualStart(),
		[READ_FIXTURE_TYPE]: new ReadFixture(),
		[SET_JSON_TYPE]: new SetJson(),
		[SLEEP_TYPE]: new Sleep(),
		[FAIL_TYPE]: new Fail(),
		[AUTH_PROBE_TYPE]: new AuthProbe(),
		[COUNT_RUNS_TYPE]: new CountRuns(),
		[WEBHOOK_PROBE_TYPE]: new WebhookProbe(),
		[PASS_THROUGH_TYPE]: new PassThrough(),
	};
}

export function testCredentialTypes(): Record<string, ICredentialType> {
	return { [HARNESS_TOKEN_API]: new HarnessTokenApi() };
}

// For running the importable example workflows, which use n8n's own node types.
export { ManualStart } from './ManualStart.node';
export { READ_WRITE_FILE_TYPE, ReadWriteFileStandIn } from './ReadWriteFileStandIn.node';
export { CONVERT_TO_FILE_TYPE, ConvertToFileStandIn } from './ConvertToFileStandIn.node';
export { IF_TYPE, IfStandIn } from './IfStandIn.node';
