/**
 * A child process of the live benchmark: `count` socket.io clients subscribed to a flow, each
 * noting the delay from an event's post-commit `at` stamp to its arrival. After `start` (IPC)
 * it tells how many arrived every 100 ms; told `report`, it answers its latencies and the CPU
 * it spent since `start`, then closes its sockets.
 * Argv: url, API key, count, flow.
 */
import { io, type Socket } from 'socket.io-client';

export type LiveClientsMessage =
  | { ready: true }
  | { arrived: number }
  | { latencies: number[]; cpuMs: number }
  | { error: string };

const [url, key, count, flow] = process.argv.slice(2);
const send = (message: LiveClientsMessage) => process.send!(message);

async function main() {
  const latencies: number[] = [];
  const sockets: Socket[] = [];
  for (let i = 0; i < Number(count); i++) {
    const socket = io(`${url}/live`, {
      transports: ['websocket'],
      auth: { token: key },
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
  await Promise.all(sockets.map((s) => s.emitWithAck('subscribe', { flow })));
  let cpu = process.cpuUsage();
  let ticker: NodeJS.Timeout | undefined;
  process.on('message', (message: 'start' | 'report') => {
    if (message === 'start') {
      latencies.length = 0;
      cpu = process.cpuUsage();
      ticker = setInterval(() => send({ arrived: latencies.length }), 100);
      return;
    }
    clearInterval(ticker);
    const used = process.cpuUsage(cpu);
    send({ latencies, cpuMs: (used.user + used.system) / 1000 });
    for (const s of sockets) s.close();
    process.disconnect();
  });
  send({ ready: true });
}

main().catch((error: Error) => {
  send({ error: error.message });
  process.exit(1);
});
