/**
 * What the page walk counts as an untranslated text on a Chinese page: English words (the walk
 * finds raw i18n keys by looking them up in the app's own texts). Ids, codes, numbers, units, paths and JSON are
 * not words (anything with `_ . $ / : @ # { } [ ]`, a digit or a `-` inside); proper names and
 * the technical terms Chinese products keep in English are allowed, by name, below.
 */
export const ALLOWED = [
  'Ordo',
  'JSON',
  'json-logic',
  'API',
  'URL',
  'HTTP',
  'HTTPS',
  'SLA',
  'CSV',
  'Excel',
  'Webhook',
  'webhook',
  'ERP',
  'WMS',
  'CRM',
  'TMS',
  'IMAP',
  'SMTP',
  'SKU',
  'ID',
  'Cron',
  'cron',
  'Delete',
  'Enter',
  'Esc',
  'Ctrl',
  'Shift',
  'React Flow',
  'ECharts',
  'ELK',
  'OpenAPI',
  'CNY',
  'UTC',
  'P1D',
  'PT4H',
  'Token',
  'token',
  'English', // the language switch names the other language in its own words
  'Standard Webhooks',
  'REST',
  'Slack',
  'POST',
  'ordo simulate',
  'KB',
  'MB',
  'GB',
] as const;

/** A token that is an id, a code, a number, a path or JSON rather than a word. */
const NOT_A_WORD = /[_.$/:@#{}[\]0-9=<>≥≤]|\w-\w/;

/** The English a Chinese page's text still has: '' when none. */
export function englishIn(text: string, allowed: readonly string[] = ALLOWED): string {
  const trimmed = text.trim();
  // JSON or json-logic shown as code.
  if (/^[{[]/.test(trimmed)) return '';
  let rest = ` ${trimmed} `;
  for (const name of [...allowed].sort((a, b) => b.length - a.length))
    rest = rest.split(name).join(' ');
  const words = rest
    .split(/[\s,;，。：；、（）()「」“”"'|·…→←×✕↑↓◆◻?!？！]+/)
    .filter((token) => token && !NOT_A_WORD.test(token))
    .filter((token) => /^[A-Za-z][A-Za-z'’]*$/.test(token));
  // One lower-case word alone is most often a value someone typed (a role, an event, a key);
  // a capitalised word or two words together are a sentence of the interface.
  const english = words.filter((w) => w.length >= 2);
  if (english.length >= 2 || english.some((w) => /^[A-Z][a-z]/.test(w) || /^[A-Z]{2,}$/.test(w)))
    return english.join(' ');
  return '';
}
