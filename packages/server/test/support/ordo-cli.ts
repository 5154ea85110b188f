import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { standardOrderFlow } from '@ordo/engine/testing';
import { freshDatabase } from './test-app';

const bin = path.join(__dirname, '..', '..', 'bin', 'ordo.js');

/** What one `ordo` command printed, and its exit code. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built `ordo` bin as a user does, with the environment and working directory given. */
export function ordoCli(env: NodeJS.ProcessEnv, cwd: string) {
  return async (...args: string[]): Promise<CliRun> => {
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], {
        env,
        cwd,
        maxBuffer: 1 << 24,
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      return error as CliRun;
    }
  };
}

/** `ordo` on a fresh SQLite data directory with the standard order flow published. */
export async function ordoWithStandardFlow(prefix: string) {
  const fresh = await freshDatabase('sqlite');
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const run = ordoCli(
    {
      ...process.env,
      DATABASE_URL: `sqlite:${(fresh.database as { file: string }).file}`,
      ORDO_DATA_DIR: dir,
      REDIS_URL: '',
    },
    dir,
  );
  const flowFile = path.join(dir, 'flow.json');
  writeFileSync(flowFile, JSON.stringify(standardOrderFlow));
  const published = await run('publish', flowFile);
  if (published.code !== 0) throw new Error(`ordo publish: ${published.stderr}`);
  return { run, dir, drop: () => fresh.drop() };
}
