import { RuntimeClock } from '../runtime/runtime-clock';
import type { Rng } from './dice';

/** A day of virtual (and real) time, in milliseconds. */
export const DAY_MS = 86_400_000;

/** Virtual time that the simulation moves; the runtime's dice are seeded too. */
export class SimClock extends RuntimeClock {
  private at: number;
  constructor(start: number, random: Rng) {
    super(() => this.at, random, true);
    this.at = start;
  }
  set(at: number): void {
    this.at = at;
  }
}
