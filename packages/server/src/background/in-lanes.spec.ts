import { inLanes } from './in-lanes';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('inLanes', () => {
  it('works at most `lanes` items at once, one group in its order', async () => {
    let running = 0;
    let most = 0;
    const order: string[] = [];
    const items = ['a1', 'b1', 'a2', 'c1', 'd1', 'a3', 'b2', 'e1'];
    await inLanes(
      items,
      3,
      (item) => item[0],
      async (item) => {
        most = Math.max(most, ++running);
        await tick();
        order.push(item);
        running--;
      },
    );
    expect(most).toBe(3);
    expect(order.sort()).toEqual([...items].sort());
    for (const group of ['a', 'b'])
      expect(order.filter((i) => i[0] === group)).toEqual(items.filter((i) => i[0] === group));
  });

  it('works every item when one fails, then rejects with the first error', async () => {
    const worked: number[] = [];
    const run = inLanes([1, 2, 3, 4, 5], 2, String, async (n) => {
      await tick();
      if (n === 2) throw new Error('two');
      worked.push(n);
    });
    await expect(run).rejects.toThrow('two');
    expect(worked.sort()).toEqual([1, 3, 4, 5]);
  });

  it('does nothing for no items', async () => {
    await expect(inLanes([], 4, String, () => Promise.reject(new Error('never')))).resolves.toBe(
      undefined,
    );
  });
});
