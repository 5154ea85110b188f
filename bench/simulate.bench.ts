/**
 * Simulation speed: each template's scenario in virtual time on the real runtime (SQLite, fake
 * systems in-process) — simulated orders per wall-clock second and simulated time per wall
 * time — and a 30-day FMCG month's wall time against the goal of 5 minutes.
 *
 * BENCH_SIM_DAYS sets the days of each template's run (default 2); BENCH_SIM_MONTH=0 skips the
 * 30-day FMCG month.
 */
import path from 'node:path';
import { DEFAULT_TEMPLATES_DIR, readScenario, simulate } from '@ordo/server';

const DAYS = Number(process.env.BENCH_SIM_DAYS ?? 2);
const TEMPLATES = [
  'fmcg-distribution',
  'b2b-custom-manufacturing',
  'pharma-distribution',
  'status-sync',
];
const GOAL_S = 300;

async function timed(template: string, days: number) {
  const file = path.join(DEFAULT_TEMPLATES_DIR, template, 'scenario.json');
  const { scenario, source } = await readScenario(file);
  const began = performance.now();
  const result = await simulate({ scenario, source, scenarioFile: file, template, days, seed: 1 });
  const wallS = (performance.now() - began) / 1000;
  return { orders: result.orders.created, wallS, simS: days * 86_400 };
}

async function main() {
  console.log('template | days | orders | wall s | orders/s | simulated time / wall time');
  for (const template of TEMPLATES) {
    const r = await timed(template, DAYS);
    console.log(
      `${template} | ${DAYS} | ${r.orders} | ${r.wallS.toFixed(1)} | ${(r.orders / r.wallS).toFixed(1)} | ${Math.round(r.simS / r.wallS)}×`,
    );
  }
  if (process.env.BENCH_SIM_MONTH === '0') return;
  const month = await timed('fmcg-distribution', 30);
  const verdict = month.wallS <= GOAL_S ? 'within' : 'over';
  console.log(
    `\nFMCG 30-day month: ${month.orders} orders in ${month.wallS.toFixed(1)} s wall time — ${verdict} the goal of ${GOAL_S} s (${(month.wallS / GOAL_S).toFixed(2)}× the goal)`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
