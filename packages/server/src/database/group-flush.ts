/**
 * When a batcher writes what has gathered: on the next turn of the event loop, with at most
 * `limit` writes in flight. While they are, new work waits and gathers, so under load the
 * batches grow instead of the number of statements (group commit); when idle, a single item
 * is written on the next turn.
 */
export class GroupFlush {
  private scheduled = false;
  private inFlight = 0;

  constructor(
    private readonly flush: () => Promise<void>,
    private readonly hasWork: () => boolean,
    private readonly limit = 2,
  ) {}

  /** Call after adding work, and the scheduler calls it again as each write ends. */
  kick(): void {
    if (this.scheduled || this.inFlight >= this.limit || !this.hasWork()) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.inFlight >= this.limit || !this.hasWork()) return;
      this.inFlight++;
      void this.flush().finally(() => {
        this.inFlight--;
        this.kick();
      });
      // What the batch left (it was full) may go out beside it.
      this.kick();
    });
  }
}
