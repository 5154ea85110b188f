/**
 * The `ordo` CLI as a user runs it: the built bin in a child process, on an SQLite data dir.
 * (The package's test script builds it first.)
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { standardOrderFlow } from '@ordo/engine/testing';

const run = promisify(execFile);
const bin = path.join(__dirname, '..', 'bin', 'ordo.js');
const dir = mkdtempSync(path.join(tmpdir(), 'ordo-cli-'));
const env = {
  ...process.env,
  ORDO_DATA_DIR: path.join(dir, 'data'),
  DATABASE_URL: '',
  REDIS_URL: '',
};

async function ordo(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env, cwd: dir });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};

describe('ordo CLI', () => {
  const flowFile = write('flow.json', JSON.stringify(standardOrderFlow, null, 2));

  it('migrates, then says the database is up to date', async () => {
    expect((await ordo('migrate')).stdout).toContain('InitialSchema');
    expect((await ordo('migrate')).stdout).toContain('up to date');
  });

  it('validates a flow file, naming file:line:col and the pointer of each problem', async () => {
    expect(await ordo('validate', flowFile)).toMatchObject({ code: 0 });
    const bad = write(
      'bad.json',
      JSON.stringify({ ...standardOrderFlow, states: standardOrderFlow.states.slice(1) }, null, 2),
    );
    const result = await ordo('validate', bad);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`${bad}:\\d+:\\d+: error \\w+ at /`));
    const syntax = write('syntax.json', '{\n  "key": \n}');
    expect(await ordo('validate', syntax)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining(`${syntax}:3:1: invalid JSON`),
    });
  });

  it('publishes a flow and imports orders from CSV and JSON Lines, reporting refused rows by line', async () => {
    const published = await ordo('publish', flowFile, '--note', 'from the CLI');
    expect(published).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('published standard-order version 1'),
    });
    const csv = write(
      'orders.csv',
      [
        'customer.id,lines.0.sku,lines.0.qty',
        'C1,SKU-1,2',
        'C2,bad sku,1',
        'C3,SKU-3,0',
        'C4,SKU-4,5',
      ].join('\n'),
    );
    const imported = await ordo('import', csv, '--flow', 'standard-order');
    expect(imported.code).toBe(1);
    expect(imported.stdout).toContain('2 order(s) imported, 2 row(s) refused');
    expect(imported.stderr).toContain(`${csv}:3: column lines.0.sku:`);
    expect(imported.stderr).toContain(`${csv}:4: column lines.0.qty:`);
    const jsonl = write(
      'orders.jsonl',
      `${JSON.stringify({ customer: { id: 'J1' }, lines: [{ sku: 'A', qty: 1 }] })}\n{oops\n`,
    );
    const fromJsonl = await ordo('import', jsonl, '--flow', 'standard-order');
    expect(fromJsonl.stdout).toContain('1 order(s) imported, 1 row(s) refused');
    expect(fromJsonl.stderr).toContain(`${jsonl}:2: invalid JSON`);
  });

  it('shows an import progress bar on a terminal, and none when stderr is a pipe', async () => {
    const rows = Array.from({ length: 1200 }, (_, i) => `P${i},SKU-${i},1`);
    const csv = write('many.csv', ['customer.id,lines.0.sku,lines.0.qty', ...rows].join('\n'));
    const command = [process.execPath, bin, 'import', csv, '--flow', 'standard-order', '--dry-run']
      .map((a) => `'${a}'`)
      .join(' ');
    // `script` runs the command on a pseudo-terminal, as a person at a shell would.
    const { stdout } = await run('script', ['-qec', command, '/dev/null'], { env, cwd: dir });
    expect(stdout).toMatch(/checking orders \[[█░]+\] \d+% \| \d+\/1200/);
    expect(stdout).toContain('1200 order(s) would be imported, 0 row(s) refused');
    const piped = await ordo('import', csv, '--flow', 'standard-order', '--dry-run');
    expect(piped.stderr).not.toContain('checking orders');
  });

  it('imports a legacy event log, naming each refused row by file:line', async () => {
    const bad = write(
      'bad-log.csv',
      [
        'reference,state,at',
        'L-1,new,2026-01-05T08:00:00Z',
        'L-1,flying,2026-01-05T09:00:00Z',
      ].join('\n'),
    );
    const refused = await ordo('import-log', bad, '--flow', 'standard-order');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${bad}:3: column state:`);
    expect(refused.stdout).toContain('nothing imported: 1 row(s) refused');
    const good = write(
      'log.csv',
      ['reference,state,at', 'L-1,new,2026-01-05T08:00:00Z', 'L-1,done,2026-01-06T08:00:00Z'].join(
        '\n',
      ),
    );
    const imported = await ordo('import-log', good, '--flow', 'standard-order');
    expect(imported).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('1 order(s) imported with 2 state entries'),
    });
  });

  it('says what is wrong with bad arguments', async () => {
    expect((await ordo('import', path.join(dir, 'none.csv'), '--flow', 'x')).stderr).toContain(
      'cannot read the file (ENOENT)',
    );
    expect((await ordo('import', flowFile, '--flow', 'standard-order')).stderr).toContain(
      'use a .csv, .xlsx or .jsonl file',
    );
    const csv = write('o.csv', 'a\n1\n');
    expect((await ordo('import', csv, '--flow', 'nope')).stderr).toContain(
      'Flow "nope" does not exist',
    );
    expect((await ordo('import', csv)).stderr).toContain("required option '--flow <key>'");
  });

  it('refuses a bad configuration naming each bad value', async () => {
    const { code, stderr } = await run(process.execPath, [bin, 'migrate'], {
      env: { ...env, PORT: 'abc', DATABASE_URL: 'mysql://x' },
      cwd: dir,
    }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(code).toBe(1);
    expect(stderr).toContain('PORT=abc');
    expect(stderr).toContain('DATABASE_URL=mysql://x');
  });

  it('deploys a template once: flow, credentials, samples; again changes nothing', async () => {
    const first = await ordo(
      'deploy',
      'status-sync',
      '--samples',
      '--base-url',
      'crm=https://crm.example.com',
    );
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Deployed status-sync: flow "status-sync" published as v1');
    expect(first.stdout).toContain('placeholder secrets: sync-hook');
    expect(first.stdout).toContain('Sample orders: 5 created');
    const again = await ordo(
      'deploy',
      'status-sync',
      '--samples',
      '--base-url',
      'crm=https://crm.example.com',
    );
    expect(again.stdout).toContain('is deployed already');
    expect(again.stdout).toContain('0 created, 5 already there');
    const bad = await ordo('deploy', 'nope');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('template nope: Template "nope" does not exist');
    const badUrl = await ordo('deploy', 'status-sync', '--base-url', 'crm');
    expect(badUrl.stderr).toContain('--base-url crm: write it as <connector>=<url>');
  });

  it('refuses to publish a connector that would send a credential outside its hosts, by position', async () => {
    // pharma-distribution's deploy stores bank-api with the bank connector's host as its hosts.
    expect((await ordo('deploy', 'pharma-distribution')).code).toBe(0);
    const exfil = {
      ...standardOrderFlow,
      key: 'exfil',
      connectors: {
        bank: {
          type: 'http',
          settings: { baseUrl: 'https://collector.attacker.example', auth: 'bearer' },
          credential: 'bank-api',
        },
        robot: {
          type: 'http',
          settings: { baseUrl: 'https://hooks.example.com' },
          credential: 'sync-hook',
        },
      },
    };
    const file = write('exfil.json', JSON.stringify(exfil, null, 2));
    const result = await ordo('publish', file);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(
        `${file}:\\d+:\\d+: error credential_host at /connectors/bank/settings/baseUrl: .*"bank-api" to collector\\.attacker\\.example:443, which is not one of its hosts \\(127\\.0\\.0\\.1:4105\\)`,
      ),
    );
    // A webhook secret (hosts: []) may be sent to no host at all.
    expect(result.stderr).toMatch(
      /error credential_host at \/connectors\/robot\/settings\/baseUrl: .*"sync-hook" .*may be sent to no host/,
    );
    expect(result.stderr).toContain('fix them before publishing');
  });
});
