/**
 * (c) Live events: 1,000 socket.io clients subscribed to a flow receive the events of 50
 * order transitions a second; delivery latency is measured from the server's post-commit
 * `at` stamp to arrival (server and clients on this machine share one clock). The clients run
 * in `BENCH_LIVE_PROCESSES` child processes (4 × 250) off the server's core, so the p99 is the
 * server's, not that of one client process receiving 50,000 messages a second.
 */
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { benchSqlite } from './lib/bench-db';
import { pingPongFlow } from './lib/bench-flow';
import { forkAside, startOrdo, stop } from './lib/child-server';
import type { LiveClientsMessage } from './lib/live-clients';
import { processCpuMs } from './lib/process-cpu';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 1000);
const RATE = 50;
/** Processes the clients are spread over (`BENCH_LIVE_PROCESSES`). */
const CHILDREN = Number(process.env.BENCH_LIVE_PROCESSES ?? 4);
const SECONDS = Math.max(3, Math.round(Number(process.env.BENCH_MS ?? 5000) / 1000));
const KEY = 'bench-admin-key-0123456789';

async function main() {
  const lite = benchSqlite();
  const { url, child } = await startOrdo(`sqlite:${lite.file}`, KEY);
  const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
  const post = async (route: string, body: unknown) => {
    const res = await fetch(url + route, { method: 'POST', headers, body: JSON.stringify(body) });
    if (res.status >= 300) throw new Error(`${route}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  let children: ChildProcess[] = [];
  try {
    await post('/api/flows', pingPongFlow);
    await post('/api/flows/bench/publish', {});
    const orders: { id: string }[] = [];
    for (let i = 0; i < 10; i++)
      orders.push(
        await post('/api/orders', { flow: 'bench', data: { customer: { id: `C${i}` }, qty: 1 } }),
      );

    // The clients run in child processes of their own, off the server's core: in this one
    // they would compete with each other for one event loop, and the p99 would measure that.
    children = Array.from({ length: CHILDREN }, (_, c) =>
      forkAside([
        '--import',
        'tsx',
        path.join(__dirname, 'lib/live-clients.ts'),
        url,
        KEY,
        String(Math.floor(CLIENTS / CHILDREN) + (c < CLIENTS % CHILDREN ? 1 : 0)),
        'bench',
      ]),
    );
    const arrived = children.map(() => 0);
    const next = (child: ChildProcess, i: number) =>
      new Promise<LiveClientsMessage>((resolve, reject) => {
        const on = (m: LiveClientsMessage) => {
          if ('arrived' in m) return void (arrived[i] = m.arrived);
          child.off('message', on);
          if ('error' in m) reject(new Error(m.error));
          else resolve(m);
        };
        child.on('message', on);
        child.once('exit', (code) => reject(new Error(`live clients exited (${code})`)));
      });
    await Promise.all(children.map(next));
    for (const c of children) c.send('start');

    const total = RATE * SECONDS;
    const sent: Promise<unknown>[] = [];
    const serverCpu = processCpuMs(child.pid);
    const start = Date.now();
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / RATE;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      sent.push(post(`/api/orders/${orders[i % orders.length].id}/events`, { type: 'flip' }));
    }
    const expected = total * CLIENTS;
    const deadline = Date.now() + 10_000;
    while (arrived.reduce((a, b) => a + b, 0) < expected && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const serverMs = (processCpuMs(child.pid) ?? NaN) - (serverCpu ?? NaN);
    const reports = await Promise.all(
      children.map((c, i) => {
        const report = next(c, i);
        c.send('report');
        return report as Promise<{ latencies: number[]; cpuMs: number }>;
      }),
    );
    // Fires the server has not answered yet are waited for (not cut off by its stop).
    const fired = (await Promise.allSettled(sent)).filter((r) => r.status === 'fulfilled').length;
    const latencies = reports.flatMap((r) => r.latencies);
    const clientMs = reports.reduce((sum, r) => sum + r.cpuMs, 0);

    latencies.sort((a, b) => a - b);
    const pct = (p: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))];
    console.log(
      `\nLive events: ${CLIENTS} socket.io clients in ${CHILDREN} processes, ${RATE} transitions/s for ${SECONDS} s`,
    );
    console.log(
      `  fired ${fired} of ${total}; delivered ${latencies.length.toLocaleString('en-US')} of ${expected.toLocaleString('en-US')} (${((latencies.length / expected) * 100).toFixed(1)}%)`,
    );
    console.log(
      `  delivery latency after commit: p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms, max ${latencies.at(-1)} ms (goal p99 < 50 ms)`,
    );
    // Latency swings with the machine's other load; the CPU per delivery much less so.
    const perThousand = (ms: number) => ((ms / latencies.length) * 1000).toFixed(1);
    console.log(
      `  CPU per 1,000 deliveries: server ${perThousand(serverMs)} ms, the ${CLIENTS} clients ${perThousand(clientMs)} ms`,
    );
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill();
    await stop(child);
    lite.drop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
