/**
 * The webhook methods of a node whose webhook needs no registration at Celantur: Celantur takes
 * the URL with each task. n8n's package scanner requires every webhook node to declare all three
 * (webhook-lifecycle-complete); n8n calls them on publishing a workflow, and never for the
 * Celantur node's resume webhook.
 */
export const noWebhookRegistration = {
	default: {
		checkExists: async (): Promise<boolean> => await Promise.resolve(true),
		create: async (): Promise<boolean> => await Promise.resolve(true),
		delete: async (): Promise<boolean> => await Promise.resolve(true),
	},
};
