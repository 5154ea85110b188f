import { useEffect, useState } from 'react';
import type { Flow } from '@ordo/engine';
import { api } from '../../api';
import type { VolumeBucket } from '../../model/analytics-charts';
import type { Analytics } from '../../model/analytics-view';
import { messageOf } from '../integrations/message-of';

/** What the dashboard filters by: the window (dates, UTC) and the analytics' own filters. */
export interface DashboardFilter {
  from: string;
  to: string;
  channel?: string;
  customer?: string;
  origin?: 'imported' | 'ordo';
}

const DAY = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The last 30 days up to and including today. */
export const defaultFilter = (now = Date.now()): DashboardFilter => ({
  from: day(now - 29 * DAY),
  to: day(now),
});

/** The query string of the analytics for a filter; `to` is inclusive of its day. */
export function analyticsQuery(f: DashboardFilter): URLSearchParams {
  const q = new URLSearchParams({
    from: `${f.from}T00:00:00.000Z`,
    to: new Date(Date.parse(`${f.to}T00:00:00.000Z`) + DAY).toISOString(),
  });
  for (const key of ['channel', 'customer', 'origin'] as const) {
    const value = f[key];
    if (value) q.set(key, value);
  }
  return q;
}

/** A bucket small enough to show a shape, large enough to stay readable. */
export const bucketFor = (f: DashboardFilter): 'day' | 'week' | 'month' => {
  const days = (Date.parse(f.to) - Date.parse(f.from)) / DAY;
  return days > 370 ? 'month' : days > 92 ? 'week' : 'day';
};

/** The flow's latest published document, its figures and its volume series for a filter. */
export function useAnalytics(flowKey: string, filter: DashboardFilter, reload: number) {
  const [flow, setFlow] = useState<Flow>();
  const [figures, setFigures] = useState<Analytics>();
  const [volume, setVolume] = useState<VolumeBucket[]>([]);
  const [error, setError] = useState<string>();

  useEffect(() => {
    void api<{ latest: Flow | null }>('GET', `/flows/${flowKey}`)
      .then((r) => r.latest && setFlow(r.latest))
      .catch((e) => setError(messageOf(e)));
  }, [flowKey]);

  useEffect(() => {
    const q = analyticsQuery(filter);
    let stale = false;
    setError(undefined);
    Promise.all([
      api<Analytics>('GET', `/flows/${flowKey}/analytics?${q}`),
      api<{ items: VolumeBucket[] }>(
        'GET',
        `/flows/${flowKey}/analytics/series?${q}&bucket=${bucketFor(filter)}`,
      ),
    ])
      .then(([a, s]) => {
        if (stale) return;
        setFigures(a);
        setVolume(s.items);
      })
      .catch((e) => !stale && setError(messageOf(e)));
    return () => {
      stale = true;
    };
  }, [flowKey, filter, reload]);

  return { flow, figures, volume, error };
}
