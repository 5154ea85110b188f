import type { Flow } from '@ordo/engine';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, type ProblemError } from '../../api';
import { messageOf } from '../../pages/integrations/message-of';
import i18n from '../../i18n';
import { type DataSetRefresh, dataSetsApi, type RefreshSpec } from './dataset-api';
import { FileProblems } from './FileProblems';

/**
 * Where a data set comes from when another system keeps it: the connector it is refreshed
 * from, how often, how the last run went; run it now, change it or stop it.
 */
export function RefreshPanel(props: {
  setKey: string;
  refresh: DataSetRefresh | null;
  canEdit: boolean;
  canRun: boolean;
  onChanged(): void;
}) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string>();
  const { refresh } = props;
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });

  async function act(call: () => Promise<unknown>) {
    setError(undefined);
    try {
      await call();
      props.onChanged();
    } catch (e) {
      setError(messageOf(e));
    }
  }

  return (
    <section data-testid="dataset-refresh">
      <h2>{t('datasets.refresh.title')}</h2>
      {!refresh && !editing && <p className="muted">{t('datasets.refresh.none')}</p>}
      {refresh && !editing && (
        <>
          <p>
            {t('datasets.refresh.from', {
              source: `${refresh.spec.flow}/${refresh.spec.connector}.${refresh.spec.action ?? 'request'}`,
              schedule: refresh.spec.every ?? refresh.spec.cron,
            })}
            {refresh.nextRunAt &&
              ` ${t('datasets.refresh.next', { at: date.format(new Date(refresh.nextRunAt)) })}`}
          </p>
          <p data-testid="refresh-last-run">
            {refresh.lastRun
              ? t(`datasets.refresh.last.${refresh.lastRun.outcome}`, {
                  at: date.format(new Date(refresh.lastRun.at)),
                  message: refresh.lastRun.message,
                })
              : t('datasets.refresh.never')}
          </p>
          {refresh.lastRun && refresh.lastRun.errors.length > 0 && (
            <FileProblems errors={refresh.lastRun.errors as ProblemError[]} />
          )}
        </>
      )}
      {error && <p className="error">{error}</p>}
      {!editing && (
        <div className="actions">
          {refresh && props.canRun && (
            <button
              name="refresh-run"
              disabled={running}
              onClick={() =>
                void (
                  setRunning(true),
                  act(() => dataSetsApi.runRefresh(props.setKey)).finally(() => setRunning(false))
                )
              }
            >
              {running ? t('datasets.refresh.running') : t('datasets.refresh.run')}
            </button>
          )}
          {props.canEdit && (
            <button name="refresh-edit" className="ghost" onClick={() => setEditing(true)}>
              {refresh ? t('datasets.refresh.change') : t('datasets.refresh.set')}
            </button>
          )}
          {refresh && props.canEdit && (
            <button
              name="refresh-stop"
              className="ghost"
              onClick={() => void act(() => dataSetsApi.stopRefresh(props.setKey))}
            >
              {t('datasets.refresh.stop')}
            </button>
          )}
        </div>
      )}
      {editing && (
        <RefreshForm
          setKey={props.setKey}
          spec={refresh?.spec}
          onSaved={() => (setEditing(false), props.onChanged())}
          onCancel={() => setEditing(false)}
        />
      )}
    </section>
  );
}

/** The refresh spec as a form: the flow's connector, its action and input, the rows, the schedule. */
export function RefreshForm(props: {
  setKey: string;
  spec?: RefreshSpec;
  onSaved(): void;
  onCancel(): void;
}) {
  const { t } = useTranslation();
  const spec = props.spec;
  const [flows, setFlows] = useState<string[]>([]);
  const [connectors, setConnectors] = useState<string[]>([]);
  const [flow, setFlow] = useState(spec?.flow ?? '');
  const [connector, setConnector] = useState(spec?.connector ?? '');
  const [action, setAction] = useState(spec?.action ?? 'request');
  const [input, setInput] = useState(JSON.stringify(spec?.input ?? { path: '/' }, null, 2));
  const [rows, setRows] = useState(spec?.rows ?? '/body');
  const [basis, setBasis] = useState<'every' | 'cron'>(spec?.cron ? 'cron' : 'every');
  const [schedule, setSchedule] = useState(spec?.cron ?? spec?.every ?? 'PT1H');
  const [keyColumn, setKeyColumn] = useState(spec?.keyColumn ?? '');
  const [problems, setProblems] = useState<ProblemError[]>([]);
  const [error, setError] = useState<string>();

  useEffect(() => {
    void api<{ items: { key: string; latestVersion: number | null }[] }>('GET', '/flows').then(
      (answer) => setFlows(answer.items.filter((f) => f.latestVersion !== null).map((f) => f.key)),
    );
  }, []);
  useEffect(() => {
    if (!flow) return setConnectors([]);
    void api<{ latest: Flow | null }>('GET', `/flows/${encodeURIComponent(flow)}`)
      .then((answer) => setConnectors(Object.keys(answer.latest?.connectors ?? {})))
      .catch(() => setConnectors([]));
  }, [flow]);

  const at = (path: string) => problems.find((p) => p.path === path)?.message;
  async function save() {
    setError(undefined);
    setProblems([]);
    let parsedInput: unknown;
    try {
      parsedInput = JSON.parse(input);
    } catch {
      return setProblems([{ path: '/input', message: t('datasets.refresh.badJson') }]);
    }
    const body: Record<string, unknown> = {
      flow,
      connector,
      action: action.trim() || undefined,
      input: parsedInput,
      rows,
      [basis]: schedule.trim(),
      ...(keyColumn.trim() && { keyColumn: keyColumn.trim() }),
    };
    try {
      await dataSetsApi.setRefresh(props.setKey, body);
      props.onSaved();
    } catch (e) {
      if (e instanceof ApiError && e.problem.errors?.length) setProblems(e.problem.errors);
      else setError(messageOf(e));
    }
  }

  const field = (path: string) => at(path) && <span className="error-text">{at(path)}</span>;
  return (
    <form
      className="form refresh-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <label>
        {t('datasets.refresh.flow')}
        <select name="refresh-flow" value={flow} onChange={(e) => setFlow(e.target.value)}>
          <option value="">—</option>
          {flows.map((f) => (
            <option key={f}>{f}</option>
          ))}
        </select>
        {field('/flow')}
      </label>
      <label>
        {t('datasets.refresh.connector')}
        <select
          name="refresh-connector"
          value={connector}
          onChange={(e) => setConnector(e.target.value)}
        >
          <option value="">—</option>
          {[...new Set([...connectors, ...(connector ? [connector] : [])])].map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
        {field('/connector')}
      </label>
      <label>
        {t('datasets.refresh.action')}
        <input name="refresh-action" value={action} onChange={(e) => setAction(e.target.value)} />
        {field('/action')}
      </label>
      <label>
        {t('datasets.refresh.input')}
        <textarea
          name="refresh-input"
          rows={3}
          className="mono"
          value={input}
          onChange={(e) => setInput(e.target.value)}
        />
        {field('/input')}
      </label>
      <label>
        {t('datasets.refresh.rows')}
        <input
          name="refresh-rows"
          className="mono"
          value={rows}
          onChange={(e) => setRows(e.target.value)}
        />
        {field('/rows')}
      </label>
      <label>
        {t('datasets.refresh.schedule')}
        <span className="inline">
          <select
            name="refresh-basis"
            value={basis}
            onChange={(e) => setBasis(e.target.value as 'every' | 'cron')}
          >
            <option value="every">{t('datasets.refresh.every')}</option>
            <option value="cron">{t('datasets.refresh.cron')}</option>
          </select>
          <input
            name="refresh-schedule"
            className="mono"
            value={schedule}
            onChange={(e) => setSchedule(e.target.value)}
          />
        </span>
        {field('/every') ?? field('/cron')}
      </label>
      <label>
        {t('datasets.refresh.keyColumn')}
        <input
          name="refresh-key-column"
          value={keyColumn}
          onChange={(e) => setKeyColumn(e.target.value)}
        />
        {field('/keyColumn')}
      </label>
      {problems
        .filter(
          (p) =>
            ![
              '/flow',
              '/connector',
              '/action',
              '/input',
              '/rows',
              '/every',
              '/cron',
              '/keyColumn',
            ].includes(p.path),
        )
        .map((p, i) => (
          <p key={i} className="error">
            {p.path}: {p.message}
          </p>
        ))}
      {error && <p className="error">{error}</p>}
      <div className="actions">
        <button type="submit" name="refresh-save">
          {t('datasets.refresh.save')}
        </button>
        <button type="button" className="ghost" onClick={props.onCancel}>
          {t('datasets.cancel')}
        </button>
      </div>
    </form>
  );
}
