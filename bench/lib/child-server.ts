import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');

/**
 * Servers under test get the last core to themselves (taskset, where there is one), so that
 * the load generator in this process does not steal their CPU and the ratio is stable.
 */
const cores = availableParallelism();
const pin = existsSync('/usr/bin/taskset') && cores > 1 ? ['-c', String(cores - 1)] : undefined;

/** Node options for the processes under test: `BENCH_NODE_ARGS="--cpu-prof"` profiles them. */
const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);

/**
 * Starts a Node process and resolves when its output matches `ready`; `pinned: false` lets it
 * use every core (a baseline run as its users run it).
 */
export function startProcess(
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
  { pinned = true }: { pinned?: boolean } = {},
): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const node = [...nodeArgs, ...args];
    const [command, argv] =
      pin && pinned
        ? ['/usr/bin/taskset', [...pin, process.execPath, ...node]]
        : [process.execPath, node];
    const child = spawn(command, argv, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (!ready.test(output)) return;
      // Ready: its log is drained from now on, no longer kept and searched (that cost this
      // process — the fake systems' — more with every line the server wrote).
      child.stdout!.off('data', onData).resume();
      child.stderr!.off('data', onData).resume();
      resolve(child);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`process exited (${code}): ${output}`)));
  });
}

/** Starts `ordo start` in its own process on a free-ish port; resolves with its base URL. */
export async function startOrdo(
  databaseUrl: string,
  adminKey: string,
  env: Record<string, string> = {},
): Promise<{ url: string; child: ChildProcess }> {
  const port = 3900 + Math.floor(Math.random() * 90);
  const child = await startProcess(
    [path.join(root, 'packages/server/bin/ordo.js'), 'start'],
    {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      ORDO_ADMIN_KEY: adminKey,
      REDIS_URL: '',
      ORDO_DATA_DIR: path.join(tmpdir(), `ordo-bench-data-${port}`),
      // The load generator is one client hammering the public endpoints: no rate limits.
      ORDO_RATE_LOGIN_IP: '1000000000',
      ORDO_RATE_LOGIN_USER: '1000000000',
      ORDO_RATE_HOOKS_IP: '1000000000',
      // Processes of one database must share their keys (cluster mode checks it).
      ORDO_JWT_SECRET: 'bench-jwt-secret-0123456789abcdef0123',
      ORDO_SECRET_KEY: 'bench-secret-key-0123456789abcdef0123',
      ...env,
    },
    /running at/,
  );
  return { url: `http://127.0.0.1:${port}`, child };
}

/** Stops a child process and waits for it to exit. */
export async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** Runs a Node process to its end on the servers' core (pinned like them); its output. */
export function runPinned(args: string[]): Promise<string> {
  const [command, argv] = pin
    ? ['/usr/bin/taskset', [...pin, process.execPath, ...args]]
    : [process.execPath, args];
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`process exited (${code}): ${output}`)),
    );
  });
}

/**
 * Starts a Node process of the load generator with an IPC channel, on the cores other than
 * the servers' (taskset, where there are some), so that it takes no CPU from the server.
 */
export function forkAside(args: string[]): ChildProcess {
  const aside = pin && cores > 1 ? ['-c', cores > 2 ? `0-${cores - 2}` : '0'] : undefined;
  const [command, argv] = aside
    ? ['/usr/bin/taskset', [...aside, process.execPath, ...args]]
    : [process.execPath, args];
  return spawn(command, argv, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}
