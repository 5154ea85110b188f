/**
 * Raw outbound delivery: the same JSON POSTs, 64 in flight, to a local API in its own process —
 * Node's http.request with a keep-alive agent (the baseline), Ordo's SafeHttpClient (address
 * checks, size and time caps), a whole connector attempt (schemas, timeout, idempotency key),
 * and Node 20's global fetch for reference.
 */
import http from 'node:http';
import path from 'node:path';
import { httpConnector, runAction, SafeHttpClient } from '@ordo/connectors';
import { loadFor, printRatios } from './lib/bench-db';
import { startProcess, stop } from './lib/child-server';
import { postReservation } from './lib/node-post';

const MS = Number(process.env.BENCH_MS ?? 3000);
const IN_FLIGHT = 64;
const body = JSON.stringify({ orderId: 'o-1', lines: [{ sku: 'SKU-1', qty: 2 }] });

const nodeHttp = async (agent: http.Agent, url: URL, key: string) =>
  (await postReservation(agent, url, body, key)).json;

async function main() {
  const port = 4300 + Math.floor(Math.random() * 90);
  const server = await startProcess(
    ['--import', 'tsx', path.join(__dirname, 'lib/echo-server.ts'), String(port)],
    {},
    /ready/,
  );
  const base = `http://127.0.0.1:${port}`;
  const url = new URL(base);
  try {
    const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
    const client = new SafeHttpClient({ allow: ['127.0.0.1:*'], connections: IN_FLIGHT });
    const settings = { baseUrl: base };
    const input = { method: 'POST', path: '/reservations', body: JSON.parse(body) };
    const tasks: [string, (c: number, i: number) => Promise<unknown>][] = [
      ['http.request + keep-alive agent', (c, i) => nodeHttp(agent, url, `k-${c}-${i}`)],
      [
        'Ordo SafeHttpClient',
        async (c, i) =>
          (
            await client.request({
              method: 'POST',
              url: `${base}/reservations`,
              headers: { 'idempotency-key': `k-${c}-${i}` },
              body,
            })
          ).json(),
      ],
      [
        'http connector attempt (runAction)',
        (c, i) =>
          runAction(httpConnector, 'request', {
            input,
            settings,
            http: client,
            idempotencyKey: `k-${c}-${i}`,
          }),
      ],
      [
        'global fetch (Node 20)',
        async (c, i) =>
          (
            await fetch(`${base}/reservations`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'idempotency-key': `k-${c}-${i}` },
              body,
            })
          ).json(),
      ],
    ];
    const rows: [string, number][] = [];
    for (const [name, step] of tasks) {
      await loadFor(300, IN_FLIGHT, step); // warm-up
      rows.push([name, await loadFor(MS, IN_FLIGHT, step)]);
    }
    const ratio = rows[1][1] / rows[0][1];
    printRatios(
      `Outbound JSON POSTs, ${IN_FLIGHT} in flight, ${MS / 1000} s each`,
      rows,
      `SafeHttpClient / http.request keep-alive: ${ratio.toFixed(2)}× (target ≥ 0.8)`,
    );
    agent.destroy();
    await client.close();
  } finally {
    await stop(server);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
