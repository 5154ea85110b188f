import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { standardOrderFlow } from '@ordo/engine/testing';
import { validateCommand } from './commands/validate.command';
import { CliError, type CliIo } from './cli-io';

function capture(): CliIo & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (l) => lines.push(l), err: (l) => lines.push(l), interactive: false };
}

const dir = mkdtempSync(path.join(tmpdir(), 'ordo-validate-'));
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};

describe('ordo validate', () => {
  it('passes a valid flow', async () => {
    const io = capture();
    const file = write('ok.json', JSON.stringify(standardOrderFlow, null, 2));
    expect(await validateCommand(file, io)).toBe(0);
    expect(io.lines.at(-1)).toMatch(/valid \(0 error/);
  });

  it('names file, line and column and the JSON pointer of each problem', async () => {
    const doc = structuredClone(standardOrderFlow) as unknown as { transitions: { to: string }[] };
    doc.transitions[1].to = 'nowhere';
    const io = capture();
    const file = write('bad.json', JSON.stringify(doc, null, 2));
    expect(await validateCommand(file, io)).toBe(1);
    const text = JSON.stringify(doc, null, 2).split('\n');
    const line = text.findIndex((l) => l.includes('"nowhere"')) + 1;
    expect(io.lines.join('\n')).toContain(`${file}:${line}:`);
    expect(io.lines.join('\n')).toContain('/transitions/1/to');
  });

  it('reports a JSON syntax error with its line', async () => {
    const file = write('syntax.json', '{\n  "key": "x",\n  "name": oops\n}');
    await expect(validateCommand(file, capture())).rejects.toThrow(
      new CliError(`${file}:3:11: invalid JSON: InvalidSymbol`),
    );
  });

  it('reports a missing file', async () => {
    await expect(validateCommand(path.join(dir, 'none.json'), capture())).rejects.toThrow(
      /cannot read the file \(ENOENT\)/,
    );
  });
});
