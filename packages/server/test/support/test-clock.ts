import { RuntimeClock } from '../../src/runtime/runtime-clock';

/** A clock the test moves; it starts at the real time (signatures and leases stay sane). */
export class TestClock extends RuntimeClock {
  offset = 0;
  constructor() {
    super(() => Date.now() + this.offset);
  }
}
