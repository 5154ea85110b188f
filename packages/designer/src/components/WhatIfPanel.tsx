import type { Flow } from '@ordo/engine';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { io } from 'socket.io-client';
import { api, token } from '../api';
import { flowLabels } from '../pages/analytics/Dashboard';
import { messageOf } from '../pages/integrations/message-of';
import { type SimResult, type WhatIfRow, whatIfRows } from './what-if-rows';

interface Job {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';
  version: 'draft' | number;
  progress: { percent: number; orders: number };
  error: string | null;
  result?: SimResult;
}

const fmt = (n: number | null | undefined) => (n === null || n === undefined ? '—' : String(n));
const active = (job: Job) => job.status === 'queued' || job.status === 'running';

/**
 * What if: the server simulates the saved draft and the latest published version with one
 * scenario and seed (two jobs), and the figures are compared side by side.
 */
export function WhatIfPanel({
  flowKey,
  doc,
  latest,
  valid,
}: {
  flowKey: string;
  doc: Flow | undefined;
  /** The latest published version (null: none yet; undefined: not known yet). */
  latest: number | null | undefined;
  /** Whether the draft passes validation (a draft with errors cannot be simulated). */
  valid: boolean;
}) {
  const { t, i18n } = useTranslation();
  const [days, setDays] = useState('1');
  const [seed, setSeed] = useState('1');
  const [jobs, setJobs] = useState<{ draft: Job; published: Job }>();
  const [refusal, setRefusal] = useState<string>();
  const running = !!jobs && (active(jobs.draft) || active(jobs.published));
  const remembered = `ordo.whatIf.${flowKey}`;

  // The last pair is remembered: a reload (or a change of language) shows it again while the
  // server keeps its jobs (the 20 newest finished of the flow, across restarts).
  useEffect(() => {
    const last = JSON.parse(localStorage.getItem(remembered) ?? 'null') as {
      draft: string;
      published: string;
    } | null;
    if (!last) return;
    const read = (id: string) => api<Job>('GET', `/flows/${flowKey}/simulations/${id}`);
    void Promise.all([read(last.draft), read(last.published)]).then(
      ([draft, published]) => setJobs((now) => now ?? { draft, published }),
      () => localStorage.removeItem(remembered),
    );
  }, [flowKey]);
  const label = flowLabels(doc, i18n.language);

  // Progress comes over the live socket while a job runs; results are read once it is done.
  useEffect(() => {
    if (!jobs || !running) return;
    const socket = io('/live', { auth: { token: token.get() }, transports: ['websocket'] });
    const read = (which: 'draft' | 'published') =>
      void api<Job>('GET', `/flows/${flowKey}/simulations/${jobs[which].id}`).then((job) =>
        setJobs((now) => now && { ...now, [which]: job }),
      );
    // Once subscribed, read both: a change before the subscription is not missed.
    socket.on(
      'connect',
      () =>
        void socket.emitWithAck('subscribe', { flow: flowKey }).then(() => {
          read('draft');
          read('published');
        }),
    );
    socket.on('simulation.changed', ({ simulation }: { simulation: Job }) => {
      const which = (['draft', 'published'] as const).find((w) => jobs[w].id === simulation.id);
      if (!which) return;
      if (simulation.status === 'done') read(which);
      else setJobs((now) => now && { ...now, [which]: simulation });
    });
    return () => void socket.close();
    // One socket for the pair of jobs while either runs.
  }, [jobs?.draft.id, running, flowKey]);

  async function run() {
    setRefusal(undefined);
    setJobs(undefined);
    const body = { days: Number(days), seed: Number(seed) };
    const started = await Promise.allSettled([
      api<Job>('POST', `/flows/${flowKey}/simulations`, { ...body, version: 'draft' }),
      api<Job>('POST', `/flows/${flowKey}/simulations`, { ...body, version: latest }),
    ]);
    const [draft, published] = started;
    if (draft.status === 'fulfilled' && published.status === 'fulfilled') {
      localStorage.setItem(
        remembered,
        JSON.stringify({ draft: draft.value.id, published: published.value.id }),
      );
      return setJobs({ draft: draft.value, published: published.value });
    }
    // One of the pair refused: the other is of no use alone.
    for (const s of started)
      if (s.status === 'fulfilled')
        void api('DELETE', `/flows/${flowKey}/simulations/${s.value.id}`).catch(() => undefined);
    const failed = started.find((s) => s.status === 'rejected') as PromiseRejectedResult;
    setRefusal(messageOf(failed.reason));
  }

  const bar = (label: string, job: Job, testId: string) => (
    <label>
      {label} — {t(`whatIf.status.${job.status}`)}
      <progress data-testid={testId} max={100} value={job.progress.percent} />
      {job.status === 'interrupted' ? (
        <span className="error">{t('whatIf.interrupted')}</span>
      ) : (
        job.error && <span className="error">{job.error}</span>
      )}
      {job.status === 'done' && (
        <a
          href={`#/analytics/${flowKey}/simulations/${job.id}`}
          data-testid={`${testId}-dashboard`}
        >
          {t('whatIf.dashboard')}
        </a>
      )}
    </label>
  );
  // A scenario's own units come translated from it; the panel's own from the texts.
  const unitOf = (r: WhatIfRow) =>
    r.translations?.[i18n.language]?.unit ??
    (r.unit && t(`whatIf.units.${r.unit}`, { defaultValue: r.unit }));
  const results = jobs?.draft.result && jobs.published.result;
  const rows = results ? whatIfRows(jobs.draft.result!, jobs.published.result!) : [];

  return (
    <div className="form" data-testid="what-if">
      <h3>{t('whatIf.title')}</h3>
      <p className="muted">{t('whatIf.explain')}</p>
      {latest === null && <p className="muted">{t('whatIf.unpublished')}</p>}
      {!valid && <p className="muted">{t('whatIf.invalid')}</p>}
      <div className="row">
        <label>
          {t('whatIf.days')}
          <input
            name="what-if-days"
            type="number"
            min={1}
            max={366}
            value={days}
            onChange={(e) => setDays(e.target.value)}
          />
        </label>
        <label>
          {t('whatIf.seed')}
          <input
            name="what-if-seed"
            type="number"
            min={0}
            value={seed}
            onChange={(e) => setSeed(e.target.value)}
          />
        </label>
        <button onClick={() => void run()} disabled={!latest || !valid || running}>
          {t('whatIf.run')}
        </button>
      </div>
      {refusal && (
        <p className="error" data-testid="what-if-refusal">
          {t('simulate.refused')} — {refusal}
        </p>
      )}
      {jobs && (
        <>
          {bar(t('whatIf.draft'), jobs.draft, 'what-if-progress-draft')}
          {bar(
            t('whatIf.published', { version: jobs?.published.version ?? latest }),
            jobs.published,
            'what-if-progress-published',
          )}
        </>
      )}
      {results && (
        <table className="figures what-if" data-testid="what-if-table">
          <thead>
            <tr>
              <th>{t('whatIf.figure')}</th>
              <th>{t('whatIf.before')}</th>
              <th>{t('whatIf.published', { version: jobs?.published.version ?? latest })}</th>
              <th>{t('whatIf.draft')}</th>
              <th>{t('whatIf.difference')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} data-group={r.group} className={r.difference ? 'changed' : undefined}>
                <td>
                  {t(`whatIf.group.${r.group}`)}:{' '}
                  {r.group === 'orders'
                    ? t(`whatIf.orderFigures.${r.label}`)
                    : r.group === 'measure' || r.group === 'counter'
                      ? label(r.label)
                      : (r.translations?.[i18n.language]?.label ?? r.label)}{' '}
                  {unitOf(r) && `(${unitOf(r)})`}
                </td>
                <td>{fmt(r.before)}</td>
                <td>{fmt(r.published)}</td>
                <td>{fmt(r.draft)}</td>
                <td>
                  {r.difference ? (
                    <strong>
                      {r.difference > 0 ? '+' : ''}
                      {r.difference}
                    </strong>
                  ) : (
                    fmt(r.difference)
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
