/** The runtime's clock and dice, injectable so that tests can fix retry timings. */
export class RuntimeClock {
  constructor(
    readonly now: () => number = Date.now,
    readonly random: () => number = Math.random,
    /**
     * True when something outside drives the background work (a simulation in virtual time):
     * the pollers and the effect dispatcher then never schedule themselves, and run only when
     * their `drain()` is called, one effect at a time, so that a run is reproducible.
     */
    readonly manual = false,
  ) {}
}
