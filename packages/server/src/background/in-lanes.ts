/**
 * Works `items` at most `lanes` at a time, the items of one `group` one after another in the
 * given order (a sender's messages in the order they came); resolves when every item has been
 * worked, rejecting with the first error only then (one failure never cuts the others short).
 */
export async function inLanes<T>(
  items: readonly T[],
  lanes: number,
  group: (item: T) => string,
  work: (item: T) => Promise<unknown>,
): Promise<void> {
  const queues = new Map<string, T[]>();
  for (const item of items) {
    const key = group(item);
    const queue = queues.get(key);
    if (queue) queue.push(item);
    else queues.set(key, [item]);
  }
  const pending = [...queues.values()];
  let failure: { error: unknown } | undefined;
  const lane = async () => {
    for (let queue = pending.shift(); queue; queue = pending.shift())
      for (const item of queue)
        await work(item).catch((error: unknown) => void (failure ??= { error }));
  };
  await Promise.all(Array.from({ length: Math.min(lanes, pending.length) }, lane));
  if (failure) throw failure.error;
}
