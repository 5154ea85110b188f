import type { Page } from 'playwright-core';

/**
 * Picks `option` in an Ant Design select as a person does: a click opens its list, a click on
 * the option's (exact) text chooses it, and the select then shows it.
 */
export async function choose(page: Page, select: string, option: string): Promise<void> {
  await page.locator(select).click();
  const exact = new RegExp(`^${option.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  await page
    .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: exact })
    .click();
  await page.locator(select).filter({ hasText: exact }).waitFor();
}
