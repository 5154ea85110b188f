/**
 * (c) Live events: 1,000 socket.io clients subscribed to a flow receive the events of 50
 * order transitions a second; delivery latency is measured from the server's post-commit
 * `at` stamp to arrival (server and clients on this machine share one clock).
 */
import { io, type Socket } from 'socket.io-client';
import { benchSqlite } from './lib/bench-db';
import { pingPongFlow } from './lib/bench-flow';
import { startOrdo, stop } from './lib/child-server';
import { processCpuMs } from './lib/process-cpu';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 1000);
const RATE = 50;
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
  try {
    await post('/api/flows', pingPongFlow);
    await post('/api/flows/bench/publish', {});
    const orders: { id: string }[] = [];
    for (let i = 0; i < 10; i++)
      orders.push(
        await post('/api/orders', { flow: 'bench', data: { customer: { id: `C${i}` }, qty: 1 } }),
      );

    const latencies: number[] = [];
    const sockets: Socket[] = [];
    for (let i = 0; i < CLIENTS; i++) {
      const socket = io(`${url}/live`, {
        transports: ['websocket'],
        auth: { token: KEY },
        reconnection: false,
        forceNew: true,
      });
      socket.on('order.transitioned', (event: { at: string }) =>
        latencies.push(Date.now() - Date.parse(event.at)),
      );
      sockets.push(socket);
    }
    await Promise.all(
      sockets.map(
        (s) => new Promise((r) => (s.connected ? r(null) : s.once('connect', () => r(null)))),
      ),
    );
    await Promise.all(sockets.map((s) => s.emitWithAck('subscribe', { flow: 'bench' })));

    const total = RATE * SECONDS;
    const serverCpu = processCpuMs(child.pid);
    const clientCpu = process.cpuUsage();
    const start = Date.now();
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / RATE;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      void post(`/api/orders/${orders[i % orders.length].id}/events`, { type: 'flip' });
    }
    const expected = total * CLIENTS;
    const deadline = Date.now() + 10_000;
    while (latencies.length < expected && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const serverMs = (processCpuMs(child.pid) ?? NaN) - (serverCpu ?? NaN);
    const clientUse = process.cpuUsage(clientCpu);
    const clientMs = (clientUse.user + clientUse.system) / 1000;
    for (const s of sockets) s.close();

    latencies.sort((a, b) => a - b);
    const pct = (p: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))];
    console.log(
      `\nLive events: ${CLIENTS} socket.io clients, ${RATE} transitions/s for ${SECONDS} s`,
    );
    console.log(
      `  delivered ${latencies.length.toLocaleString('en-US')} of ${expected.toLocaleString('en-US')} (${((latencies.length / expected) * 100).toFixed(1)}%)`,
    );
    console.log(
      `  delivery latency after commit: p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms, max ${latencies.at(-1)} ms (target p99 < 100 ms)`,
    );
    // Latency swings with the machine's other load; the CPU per delivery much less so.
    const perThousand = (ms: number) => ((ms / latencies.length) * 1000).toFixed(1);
    console.log(
      `  CPU per 1,000 deliveries: server ${perThousand(serverMs)} ms, the ${CLIENTS} clients ${perThousand(clientMs)} ms`,
    );
  } finally {
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
