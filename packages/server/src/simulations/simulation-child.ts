/**
 * A simulation in its own process (forked by SimulationProcess): the simulator starts a whole
 * second server with its own throw-away database, which would otherwise share the event loop
 * (and the process-wide metrics registry) with the server that asked for it.
 */
import type { SimulatedDashboard } from '../simulation/sim-dashboard';
import { simulate, type SimulationInput } from '../simulation/simulator';
import type { ChildMessage } from './simulation-process';

const send = (message: ChildMessage) =>
  new Promise<void>((resolve) => process.send!(message, () => resolve()));

// Cancelled (SIGTERM), or the server that asked is gone: stop at the next step, cleaning up.
const stop = new AbortController();
process.once('SIGTERM', () => stop.abort());
process.once('disconnect', () => stop.abort());

process.once('message', (input: SimulationInput) => {
  let dashboard: SimulatedDashboard | undefined;
  simulate({
    ...input,
    signal: stop.signal,
    onHour: (p) => void send({ kind: 'progress', ...p }),
    onDashboard: (d) => (dashboard = d),
  }).then(
    async (result) => {
      await send({ kind: 'done', result, dashboard: dashboard! });
      process.exit(0);
    },
    async (error: Error) => {
      if (process.connected) await send({ kind: 'failed', message: error.message });
      process.exit(1);
    },
  );
});
