/** The runtime's clock and dice, injectable so that tests can fix retry timings. */
export class RuntimeClock {
  constructor(
    readonly now: () => number = Date.now,
    readonly random: () => number = Math.random,
  ) {}
}
