// Small helpers the editor checks share.
import type { Locator, Page } from 'playwright-core';

export const byTestId = (page: Page, id: string): Locator => page.locator(`[data-test-id="${id}"]`);

/** Takes a screenshot into docs/screenshots/ and checks its size. */
export type Shoot = (name: string) => Promise<void>;
