import type { Label } from '../flow';
import { getPath } from '../json/safe-path';

const PLACEHOLDER = /\{\{\s*([$A-Za-z0-9_.]+)\s*\}\}/g;

function fill(text: string, scope: unknown): string {
  return text.replace(PLACEHOLDER, (_m, path: string) => {
    const value = getPath(scope, path);
    if (value === undefined || value === null) return '';
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  });
}

/**
 * Fills `{{path}}` placeholders in a message from the rule scope (order data plus `$order`,
 * `$actor`, `$now`, `$event`). A label with one text per locale is filled in every locale.
 */
export function fillTemplate(label: Label, scope: unknown): Label {
  if (typeof label === 'string') return fill(label, scope);
  const out: Record<string, string> = {};
  for (const [locale, text] of Object.entries(label)) out[locale] = fill(text, scope);
  return out;
}
