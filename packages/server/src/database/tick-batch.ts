/**
 * Gathers the calls made in one turn of the event loop and answers them with one batch
 * operation (one query instead of many round trips). `run` returns one result per item, in
 * order; when it throws, every caller of the batch gets the error.
 */
export class TickBatch<I, O> {
  private pending: { item: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];

  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly max = 256,
  ) {}

  add(item: I): Promise<O> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length === 1) setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending.splice(0, this.max);
    if (this.pending.length) setImmediate(() => void this.flush());
    try {
      const results = await this.run(batch.map((b) => b.item));
      batch.forEach((b, i) => b.resolve(results[i]));
    } catch (error) {
      for (const b of batch) b.reject(error);
    }
  }
}
