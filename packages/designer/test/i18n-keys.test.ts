import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { en } from '../src/i18n/en';
import { zhCN } from '../src/i18n/zh-CN';

const src = path.join(__dirname, '..', 'src');
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? files(file) : /\.tsx?$/.test(name) ? [file] : [];
  });

/** The value at a dot path; i18next plural keys (`x_one`, `x_other`) count as `x`. */
function lookup(texts: unknown, key: string): unknown {
  let at = texts as Record<string, unknown> | undefined;
  for (const part of key.split('.')) {
    if (!at || typeof at !== 'object') return undefined;
    at = (at[part] ?? at[`${part}_other`] ?? at[`${part}_one`]) as Record<string, unknown>;
  }
  return at;
}

// Every literal key of a `t('…')` call; for a template key, its fixed prefix must be a section.
const calls = files(src).flatMap((file) =>
  [...readFileSync(file, 'utf8').matchAll(/\bt\(\s*(['`])([a-zA-Z0-9_.${}-]+)\1/g)].map(
    ([, quote, key]) => ({ file: path.relative(src, file), quote, key }),
  ),
);

describe('i18n keys', () => {
  it('finds the keys the source uses', () => {
    expect(calls.length).toBeGreaterThan(200);
  });

  it.each([
    ['en', en],
    ['zh-CN', zhCN],
  ])('has every key the source uses in %s', (_, texts) => {
    const missing = calls.filter(({ key }) => {
      const dynamic = key.indexOf('${');
      if (dynamic < 0) return typeof lookup(texts, key) !== 'string';
      const prefix = key.slice(0, dynamic).replace(/\.$/, '');
      return prefix !== '' && typeof lookup(texts, prefix) !== 'object';
    });
    expect(missing).toEqual([]);
    // The editor's tabs are a template key: each one of them is a text.
    for (const tab of ['inspector', 'fields', 'integration', 'json', 'problems', 'simulate'])
      expect(typeof lookup(texts, `editor.tabs.${tab}`)).toBe('string');
  });

  it('has the same keys in both languages', () => {
    const keys = (texts: unknown, prefix = ''): string[] =>
      Object.entries(texts as Record<string, unknown>).flatMap(([k, v]) =>
        typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
      );
    expect(keys(zhCN).sort()).toEqual(keys(en).sort());
  });
});
