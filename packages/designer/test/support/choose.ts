import type { Locator, Page } from 'playwright-core';

/**
 * Picks `option` in an Ant Design select as a person does: a click opens its list, a click on
 * the option's (exact) text chooses it, and the select then shows it. The option is looked for
 * in this select's own list (the one its input controls), not in another select's list that
 * is still closing.
 */
export async function choose(page: Page, select: string, option: string): Promise<void> {
  await chooseIn(page.locator(select), option);
}

/** `choose` for a select found by a locator (one of many alike, inside a row). */
export async function chooseIn(select: Locator, option: string): Promise<void> {
  await select.click();
  const input = select.locator('input').first();
  const list = (await input.count()) ? await input.getAttribute('id') : null;
  const dropdown = list
    ? `.ant-select-dropdown:visible:has([id="${list}_list"])`
    : '.ant-select-dropdown:visible';
  const exact = new RegExp(`^${option.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  await select.page().locator(`${dropdown} .ant-select-item-option`, { hasText: exact }).click();
  await select.filter({ hasText: exact }).waitFor();
}
