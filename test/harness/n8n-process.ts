import { Container } from '@n8n/di';
import { InstanceSettings } from 'n8n-core';
// Not re-exported by n8n-core's index, but the same module instance n8n-core resolves internally.
import { ScheduledTaskManager } from 'n8n-core/dist/execution-engine/scheduled-task-manager';
import { SSHClientsManager } from 'n8n-core/dist/execution-engine/ssh-clients-manager';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * n8n-core's process-wide services live in @n8n/di's Container, one per jest module registry
 * (so one per test file). Harnesses in the same file share them, hence the reference count.
 */
let openHarnesses = 0;
let userFolder: string | undefined;
let instanceSettingsBuilt = false;

export function acquireN8nProcess(): void {
	openHarnesses += 1;
	if (instanceSettingsBuilt) return;
	instanceSettingsBuilt = true;
	// InstanceSettings writes its config (encryption key) into N8N_USER_FOLDER/.n8n when first
	// built; point it at a temp dir so tests never touch the developer's ~/.n8n.
	userFolder = mkdtempSync(path.join(tmpdir(), 'n8n-harness-user-'));
	const previous = process.env.N8N_USER_FOLDER;
	process.env.N8N_USER_FOLDER = userFolder;
	try {
		Container.get(InstanceSettings);
	} finally {
		if (previous === undefined) delete process.env.N8N_USER_FOLDER;
		else process.env.N8N_USER_FOLDER = previous;
	}
	// A safety net for a test file that forgets close(): the manager's cleanup interval (a private
	// field) no longer holds jest open. close() still shuts the manager down properly.
	const manager = Container.get(SSHClientsManager) as unknown as { cleanupTimer?: NodeJS.Timeout };
	manager.cleanupTimer?.unref();
}

export function releaseN8nProcess(): void {
	openHarnesses = Math.max(0, openHarnesses - 1);
	if (openHarnesses > 0) return;
	// Every ExecuteContext asks the Container for the SSH client manager, whose constructor starts
	// a 60 s interval that keeps jest alive; trigger contexts do the same with the cron manager.
	Container.get(SSHClientsManager).onShutdown();
	Container.get(ScheduledTaskManager).deregisterAllCrons();
	// InstanceSettings keeps the key in memory; nothing n8n-core does in tests writes there again.
	if (userFolder) rmSync(userFolder, { recursive: true, force: true });
	userFolder = undefined;
}
