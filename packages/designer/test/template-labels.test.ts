import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Field, Flow } from '@ordo/engine';

const templates = path.join(__dirname, '..', '..', '..', 'templates');
const flows = readdirSync(templates, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => ({
    name: entry.name,
    flow: JSON.parse(readFileSync(path.join(templates, entry.name, 'flow.json'), 'utf8')) as Flow,
  }));

/** Every field (objects' fields and lists' items too) by its dot path. */
const fieldsOf = (fields: readonly Field[], at = ''): [string, Field][] =>
  fields.flatMap((f) => [
    [`${at}${f.key}`, f] as [string, Field],
    ...fieldsOf(f.fields ?? [], `${at}${f.key}.`),
    ...fieldsOf(f.items ?? [], `${at}${f.key}[].`),
  ]);

const unlabelled = (label: unknown) =>
  ['en', 'zh-CN'].filter((l) => !(label && typeof label === 'object' && (label as any)[l]));

// The forms, the rule builder and the timeline show these labels: a template's field or state
// without one shows its key, in English, on a Chinese page.
describe.each(flows)('template $name', ({ flow }) => {
  it('names every field and state in English and Chinese', () => {
    const missing = [
      ...fieldsOf(flow.fields).flatMap(([p, f]) => unlabelled(f.label).map((l) => `${p} ${l}`)),
      ...flow.states.flatMap((s) => unlabelled(s.label).map((l) => `state ${s.id} ${l}`)),
    ];
    expect(missing).toEqual([]);
  });
});
