/** Keeps docs/flow-document.md true: every whole flow in it validates with no problem. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { validateFlow } from '../src';

const doc = readFileSync(path.join(__dirname, '../../../docs/flow-document.md'), 'utf8');
const flows = [...doc.matchAll(/```json\n([\s\S]*?)```/g)]
  .map((m) => m[1])
  .filter((block) => block.includes('"schemaVersion"'));

describe('docs/flow-document.md', () => {
  it('has at least one complete flow', () => expect(flows.length).toBeGreaterThan(0));
  it.each(flows.map((f, i) => [i, f]))('flow %i validates', (_i, text) => {
    expect(validateFlow(JSON.parse(text as string))).toEqual({ ok: true, problems: [] });
  });
});
