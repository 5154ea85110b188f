import { RuntimeClock } from '../../src/runtime/runtime-clock';

/** A clock the test moves; it starts at the real time (signatures and leases stay sane). */
export class TestClock extends RuntimeClock {
  offset = 0;
  /** `manual`: background work runs only when a test drains it (no race with a poller). */
  constructor(manual = false) {
    super(() => Date.now() + this.offset, Math.random, manual);
  }
}
