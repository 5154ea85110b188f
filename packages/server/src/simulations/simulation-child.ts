/**
 * A simulation in its own process (forked by SimulationProcess): the simulator starts a whole
 * second server with its own throw-away database, which would otherwise share the event loop
 * (and the process-wide metrics registry) with the server that asked for it.
 */
import { simulate, type SimulationInput } from '../simulation/simulator';
import type { ChildMessage } from './simulation-process';

const send = (message: ChildMessage) =>
  new Promise<void>((resolve) => process.send!(message, () => resolve()));

process.once('message', (input: SimulationInput) => {
  simulate({
    ...input,
    onHour: (p) => void send({ kind: 'progress', ...p }),
  }).then(
    async (result) => {
      await send({ kind: 'done', result });
      process.exit(0);
    },
    async (error: Error) => {
      await send({ kind: 'failed', message: error.message });
      process.exit(1);
    },
  );
});
