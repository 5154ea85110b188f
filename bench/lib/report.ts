import { Bench, type Task } from 'tinybench';

/** Ops/s of a finished tinybench task (0 when it failed). */
export function hz(task: Task): number {
  const result = task.result as { throughput?: { mean?: number }; hz?: number } | undefined;
  return result?.throughput?.mean ?? result?.hz ?? 0;
}

/**
 * Runs a group of tasks and prints ops/s and each task's ratio to the baseline (the first
 * task), so every figure is read against something measured in the same run. A task that makes
 * several calls per iteration says so with `callsPerIteration`: ops/s are then calls/s.
 */
export async function compare(
  title: string,
  tasks: [name: string, fn: () => unknown][],
  time = 1000,
  callsPerIteration = 1,
): Promise<Map<string, number>> {
  const bench = new Bench({ time, warmupTime: 200 });
  for (const [name, fn] of tasks) bench.add(name, fn);
  await bench.run();
  const rates = new Map(bench.tasks.map((t) => [t.name, hz(t) * callsPerIteration]));
  const base = rates.get(tasks[0][0]) || 1;
  console.log(`\n${title}`);
  console.log(`  ${'task'.padEnd(44)} ${'ops/s'.padStart(14)} ${'× baseline'.padStart(11)}`);
  for (const [name, rate] of rates)
    console.log(
      `  ${name.padEnd(44)} ${Math.round(rate).toLocaleString('en-US').padStart(14)} ${(rate / base).toFixed(2).padStart(11)}`,
    );
  return rates;
}

/**
 * Like `compare`, for functions that take a few nanoseconds: each timed iteration makes `batch`
 * calls `f(arg)`, so that tinybench's own cost per iteration (two clock reads, about 30 ns here:
 * a no-op measures some 33M ops/s) does not swamp the work and pull every ratio towards 1.
 * Each task's loop is its own function, so V8 sees one callee at each call site. Prints and
 * returns calls per second.
 */
export async function compareCalls(
  title: string,
  tasks: [name: string, f: (arg: never) => unknown, arg: unknown][],
  batch: number,
  time = 1000,
): Promise<Map<string, number>> {
  const loops = tasks.map(
    ([name, f, arg]) =>
      [
        name,
        new Function(
          'f',
          'arg',
          `return function () { let yes = 0; for (let i = 0; i < ${batch}; i++) if (f(arg)) yes++; return yes; };`,
        )(f, arg) as () => number,
      ] as [string, () => number],
  );
  return compare(`${title} (${batch} calls per timed iteration)`, loops, time, batch);
}
