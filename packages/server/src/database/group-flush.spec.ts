import { TickBatch } from './tick-batch';

describe('group flush (TickBatch)', () => {
  it('writes one item at once when idle, and gathers the rest while two writes are in flight', async () => {
    const batches: number[][] = [];
    const releases: (() => void)[] = [];
    let inFlight = 0;
    let most = 0;
    const batch = new TickBatch<number, number>(async (items) => {
      batches.push(items);
      most = Math.max(most, ++inFlight);
      await new Promise<void>((r) => releases.push(r));
      inFlight--;
      return items.map((i) => i * 10);
    });
    const first = batch.add(1);
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([[1]]);
    const rest = [2, 3].map((i) => batch.add(i));
    await new Promise((r) => setImmediate(r));
    const more = [4, 5, 6].map((i) => batch.add(i));
    await new Promise((r) => setImmediate(r));
    // Two writes in flight: 4, 5 and 6 wait, together.
    expect(batches).toEqual([[1], [2, 3]]);
    while (releases.length) {
      releases.shift()!();
      await new Promise((r) => setImmediate(r));
      await new Promise((r) => setImmediate(r));
    }
    await expect(Promise.all([first, ...rest, ...more])).resolves.toEqual([10, 20, 30, 40, 50, 60]);
    expect(batches).toEqual([[1], [2, 3], [4, 5, 6]]);
    expect(most).toBe(2);
  });

  it('gives every caller of a failed batch the error', async () => {
    const batch = new TickBatch<number, number>(async () => {
      throw new Error('down');
    });
    await expect(Promise.all([batch.add(1), batch.add(2)])).rejects.toThrow('down');
  });
});
