/**
 * Signed (Standard Webhooks) inbound webhook deliveries per second that create or advance orders (signature
 * check, de-duplication, correlation, engine, persistence, answer): autocannon with 32
 * connections, every request a new delivery — half start an order, half advance one started
 * earlier. Against a bare fastify handler doing the same steps with the raw driver, on SQLite
 * and PostgreSQL; and against n8n 1.123 — measured in the same run when N8N_BIN names an
 * installed n8n (lib/n8n-server.ts), else the figure the issue gives for this machine run that
 * way (58–93 requests/s for webhook → set field → respond, pooled SQLite, saving executions).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { signWebhook } from '@ordo/connectors';
import autocannon from 'autocannon';
import { benchPostgres, benchSqlite, printRatios } from './lib/bench-db';
import { startOrdo, startProcess, stop } from './lib/child-server';
import { startN8n } from './lib/n8n-server';

const SECONDS = Math.max(2, Math.round(Number(process.env.BENCH_MS ?? 5000) / 1000));
const ADMIN_KEY = 'bench-admin-key-0123456789';
const SECRET = `whsec_${Buffer.from('bench-hook-secret-0123456789abcdef').toString('base64')}`;
/** The figure for n8n 1.123 run that way (pooled SQLite, unpinned): 58–93 req/s; the top. */
const N8N_RATE = 93;

const hookFlow = {
  schemaVersion: 1,
  key: 'hooks',
  name: 'Chat intake',
  fields: [{ key: 'customer', type: 'string' }],
  states: [{ id: 'received', initial: true }, { id: 'confirmed' }, { id: 'done', final: true }],
  transitions: [
    { id: 'confirm', from: 'received', to: 'confirmed', event: 'confirm' },
    { id: 'finish', from: 'confirmed', to: 'done', event: 'finish' },
  ],
  triggers: [
    {
      id: 'chat',
      webhook: {
        secret: 'chat-hook',
        find: { by: 'externalRef', value: { var: '$body.orderNo' } },
        create: { data: { customer: { var: '$body.customer' } } },
        event: { type: { var: '$body.event' } },
      },
    },
  ],
};

/** Half the deliveries start an order, half confirm one started 64 deliveries earlier. */
function delivery(i: number, run: string): { body: string; headers: Record<string, string> } {
  const create = i % 2 === 0 || i < 65;
  const payload = create
    ? { orderNo: `${run}-${i}`, customer: `C-${i % 97}` }
    : { orderNo: `${run}-${i - 65}`, event: 'confirm' };
  const body = JSON.stringify(payload);
  // Standard Webhooks, signed by the same module as Ordo's (node:crypto, not the slower
  // pure-JS HMAC of the standardwebhooks package, which the tests use as the client).
  const signed = signWebhook(SECRET, {
    id: `${run}-d-${i}`,
    timestamp: Math.floor(Date.now() / 1000),
    body,
  });
  return { body, headers: { 'content-type': 'application/json', ...signed } };
}

/** The rate of `url` once warm: a short untimed run first (JIT, caches, pools), as a server in use is. */
async function warmLoad(url: string, run: string): Promise<number> {
  await load(url, `${run}w`, 2);
  return load(url, run);
}

async function load(url: string, run: string, seconds = SECONDS): Promise<number> {
  // Start each run with the disk quiet: what the previous run wrote is flushed first, so that
  // its write-back does not land on the next run's commits.
  spawnSync('sync');
  // Signed ahead, so that the load generator, which shares the machine, spends its CPU on
  // sending rather than on HMACs; more are signed on the way if a run outpaces these.
  const ahead = Array.from({ length: seconds * 8000 }, (_, n) => delivery(n, run));
  let i = 0;
  const result = await autocannon({
    url,
    connections: 32,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const next = ahead[i] ?? delivery(i, run);
          i++;
          return { ...request, ...next };
        },
      },
    ],
  });
  if (result.non2xx || result.errors)
    throw new Error(
      `${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors: ${JSON.stringify(result.statusCodeStats)}`,
    );
  return result.requests.average;
}

async function compare(kind: string, databaseUrl: string): Promise<void> {
  const { url: base, child: ordo } = await startOrdo(databaseUrl, ADMIN_KEY);
  let ordoRate: number;
  try {
    const auth = { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' };
    for (const [route, body] of [
      ['/api/credentials', { name: 'chat-hook', secret: { secret: SECRET }, hosts: [] }],
      ['/api/flows', hookFlow],
      ['/api/flows/hooks/publish', {}],
    ] as const) {
      const res = await fetch(base + route, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify(body),
      });
      if (res.status !== 201) throw new Error(`${route}: ${res.status} ${await res.text()}`);
    }
    ordoRate = await warmLoad(`${base}/api/hooks/hooks/chat`, `o${Date.now()}`);
  } finally {
    await stop(ordo);
  }
  const barePort = 4050 + Math.floor(Math.random() * 40);
  const bare = await startProcess(
    [
      '--import',
      'tsx',
      path.join(__dirname, 'lib/bare-hook-server.ts'),
      String(barePort),
      databaseUrl.replace(/^sqlite:/, ''),
      SECRET,
    ],
    {},
    /ready/,
  );
  let bareRate: number;
  try {
    bareRate = await warmLoad(`http://127.0.0.1:${barePort}/hooks`, `b${Date.now()}`);
  } finally {
    await stop(bare);
  }
  // n8n itself when it is installed (N8N_BIN), else the figure for this machine.
  const n8n = await startN8n();
  let n8nRate: number | undefined;
  if (n8n)
    try {
      n8nRate = await warmLoad(n8n.url, `n${Date.now()}`);
    } finally {
      await stop(n8n.child);
    }
  printRatios(
    `Signed webhook deliveries on ${kind}, 32 connections, ${SECONDS} s each (half create, half advance)`,
    [
      ['bare fastify: HMAC, dedupe, find, insert/update (raw)', bareRate],
      ['Ordo POST /api/hooks (engine, history, outbox, dedupe)', ordoRate],
      ...(n8nRate === undefined
        ? []
        : [
            ['n8n 1.123: webhook → set → respond (pooled SQLite, saved)', n8nRate] as [
              string,
              number,
            ],
          ]),
    ],
    `Ordo / bare handler: ${(ordoRate / bareRate).toFixed(2)}×; ` +
      (n8nRate === undefined
        ? `Ordo / n8n 1.123 (${N8N_RATE}/s, the top of the issue's 58–93/s; set N8N_BIN to measure it): ${(ordoRate / N8N_RATE).toFixed(1)}×`
        : `Ordo / n8n 1.123 measured in this run: ${(ordoRate / n8nRate).toFixed(1)}×`) +
      ' (target ≥ 40×)',
  );
}

/**
 * Each database in its own process (as run.ts does for each benchmark), so that the load
 * generator's state after one run does not colour the next: `… server-hooks.bench.ts sqlite`.
 */
async function main() {
  const only = process.argv[2];
  if (only === 'sqlite') {
    const lite = benchSqlite();
    try {
      await compare('SQLite', `sqlite:${lite.file}`);
    } finally {
      lite.drop();
    }
  } else if (only === 'postgres') {
    const pg = await benchPostgres();
    try {
      await compare('PostgreSQL', pg.url);
    } finally {
      await pg.drop();
    }
  } else
    for (const kind of ['sqlite', 'postgres']) {
      const child = spawnSync(process.execPath, ['--import', 'tsx', __filename, kind], {
        stdio: 'inherit',
      });
      if (child.status !== 0) throw new Error(`the ${kind} run failed`);
    }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
