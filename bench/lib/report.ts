import { Bench, type Task } from 'tinybench';

/** Ops/s of a finished tinybench task (0 when it failed). */
export function hz(task: Task): number {
  const result = task.result as { throughput?: { mean?: number }; hz?: number } | undefined;
  return result?.throughput?.mean ?? result?.hz ?? 0;
}

/**
 * Runs a group of tasks and prints ops/s and each task's ratio to the baseline (the first
 * task), so every figure is read against something measured in the same run.
 */
export async function compare(
  title: string,
  tasks: [name: string, fn: () => unknown][],
  time = 1000,
): Promise<Map<string, number>> {
  const bench = new Bench({ time, warmupTime: 200 });
  for (const [name, fn] of tasks) bench.add(name, fn);
  await bench.run();
  const rates = new Map(bench.tasks.map((t) => [t.name, hz(t)]));
  const base = rates.get(tasks[0][0]) || 1;
  console.log(`\n${title}`);
  console.log(`  ${'task'.padEnd(44)} ${'ops/s'.padStart(14)} ${'× baseline'.padStart(11)}`);
  for (const [name, rate] of rates)
    console.log(
      `  ${name.padEnd(44)} ${Math.round(rate).toLocaleString('en-US').padStart(14)} ${(rate / base).toFixed(2).padStart(11)}`,
    );
  return rates;
}
