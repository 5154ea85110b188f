/**
 * (b) `POST /api/orders` per second, autocannon with 32 connections, against a bare fastify
 * handler that validates with ajv and inserts the same row with the raw driver — each server
 * in its own process, on SQLite and on PostgreSQL.
 */
import path from 'node:path';
import autocannon from 'autocannon';
import { benchPostgres, benchSqlite, printRatios } from './lib/bench-db';
import { pingPongFlow } from './lib/bench-flow';
import { startOrdo, startProcess, stop } from './lib/child-server';

const SECONDS = Math.max(2, Math.round(Number(process.env.BENCH_MS ?? 5000) / 1000));
const ADMIN_KEY = 'bench-admin-key-0123456789';

async function load(url: string, headers: Record<string, string>): Promise<number> {
  const result = await autocannon({
    url,
    connections: 32,
    duration: SECONDS,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ flow: 'bench', data: { customer: { id: 'C-1' }, qty: 2 } }),
  });
  if (result.non2xx || result.errors)
    throw new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return result.requests.average;
}

async function compare(kind: string, databaseUrl: string): Promise<void> {
  const { url: base, child: ordo } = await startOrdo(databaseUrl, ADMIN_KEY);
  const auth = { authorization: `Bearer ${ADMIN_KEY}` };
  for (const [route, body] of [
    ['/api/flows', pingPongFlow],
    ['/api/flows/bench/publish', {}],
  ] as const) {
    const res = await fetch(base + route, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status !== 201) throw new Error(`${route}: ${res.status} ${await res.text()}`);
  }
  const ordoRate = await load(`${base}/api/orders`, auth);
  await stop(ordo);
  const barePort = 3990 + Math.floor(Math.random() * 9);
  const bare = await startProcess(
    [
      '--import',
      'tsx',
      path.join(__dirname, 'lib/bare-server.ts'),
      String(barePort),
      databaseUrl.replace(/^sqlite:/, ''),
    ],
    {},
    /ready/,
  );
  const bareRate = await load(`http://127.0.0.1:${barePort}/orders`, {});
  await stop(bare);
  printRatios(
    `POST /api/orders on ${kind}, 32 connections, ${SECONDS} s each`,
    [
      ['bare fastify + ajv + raw insert (a commit per row)', bareRate],
      ['Ordo POST /api/orders (auth, engine, history, group commit)', ordoRate],
    ],
    `Ordo / bare handler: ${(ordoRate / bareRate).toFixed(2)}× (target ≥ 0.7)`,
  );
}

async function main() {
  const lite = benchSqlite();
  try {
    await compare('SQLite', `sqlite:${lite.file}`);
  } finally {
    lite.drop();
  }
  const pg = await benchPostgres();
  try {
    await compare('PostgreSQL', pg.url);
  } finally {
    await pg.drop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
