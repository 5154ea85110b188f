import type { Api } from './sim-api';
import { DAY_MS } from './sim-clock';

/**
 * What the designer's dashboard shows of a simulated run, read from the run's own server before
 * its throw-away database goes: the analytics over the simulated window and the orders created
 * and completed per bucket — the answers of `GET /api/flows/:key/analytics` and `…/series`.
 */
export interface SimulatedDashboard {
  from: string;
  to: string;
  analytics: unknown;
  series: { bucket: 'day' | 'week' | 'month'; items: unknown[] };
}

/** The bucket the dashboard picks for a window of `days` (the designer's `bucketFor`). */
const bucketFor = (days: number) => (days > 370 ? 'month' : days > 92 ? 'week' : 'day');

export async function dashboardOf(
  api: Api,
  flow: string,
  start: number,
  end: number,
): Promise<SimulatedDashboard> {
  const q = `from=${new Date(start).toISOString()}&to=${new Date(end).toISOString()}`;
  const bucket = bucketFor((end - start) / DAY_MS);
  const [analytics, series] = await Promise.all([
    api('GET', `/api/flows/${flow}/analytics?${q}`),
    api('GET', `/api/flows/${flow}/analytics/series?${q}&bucket=${bucket}`),
  ]);
  for (const answer of [analytics, series])
    if (answer.status !== 200)
      throw new Error(
        `the run's analytics answered ${answer.status}: ${JSON.stringify(answer.body)}`,
      );
  return {
    from: new Date(start).toISOString(),
    to: new Date(end).toISOString(),
    analytics: analytics.body,
    series: series.body as SimulatedDashboard['series'],
  };
}
