import type { ImportProgress } from '../intake/intake.service';
import type { CliIo } from './cli-io';

/** A progress bar on the terminal for a long import; nothing when stderr is not a terminal. */
export interface ImportBar {
  onProgress?: (progress: ImportProgress) => void;
  stop(): void;
}

const PHASES = { checking: 'checking orders', writing: 'writing orders ' };

export async function importBar(io: CliIo): Promise<ImportBar> {
  if (!io.interactive) return { stop: () => undefined };
  const { SingleBar, Presets } = await import('cli-progress');
  const bar = new SingleBar(
    {
      format: '{phase} [{bar}] {percentage}% | {value}/{total}',
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
    },
    Presets.shades_classic,
  );
  let started = false;
  return {
    onProgress({ phase, done, total }) {
      if (!started) bar.start(total, done, { phase: PHASES[phase] });
      else bar.setTotal(total);
      started = true;
      // Writing is one transaction: the bar shows it begun, and the command ends it.
      bar.update(phase === 'writing' ? total : done, { phase: PHASES[phase] });
    },
    stop: () => started && bar.stop(),
  };
}
