import type { Locator, Page } from 'playwright-core';

/**
 * Picks `option` in an Ant Design select as a person does: a click opens its list, a click on
 * the option's (exact) text chooses it, and the select then shows it.
 */
export async function choose(page: Page, select: string, option: string): Promise<void> {
  await chooseIn(page.locator(select), option);
}

/** `choose` for a select found by a locator (one of many alike, inside a row). */
export async function chooseIn(select: Locator, option: string): Promise<void> {
  await select.click();
  const exact = new RegExp(`^${option.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  await select
    .page()
    .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: exact })
    .click();
  await select.filter({ hasText: exact }).waitFor();
}
