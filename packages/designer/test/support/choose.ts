import type { Page } from 'playwright-core';

/**
 * Picks `option` in an Ant Design select as a person does: a click opens its list, a click on
 * the option's (exact) text chooses it, and the select then shows it. The option is looked for
 * in this select's own list (the one its input controls), not in another select's list that
 * is still closing.
 */
export async function choose(page: Page, select: string, option: string): Promise<void> {
  await page.locator(select).click();
  const list = await page.locator(select).locator('input').first().getAttribute('id');
  const exact = new RegExp(`^${option.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  await page
    .locator(`.ant-select-dropdown:visible:has([id="${list}_list"]) .ant-select-item-option`, {
      hasText: exact,
    })
    .click();
  await page.locator(select).filter({ hasText: exact }).waitFor();
}
