import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { messageOf } from './integrations/message-of';

interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  entity: string;
  entityId: string;
  action: string;
  before: unknown;
  after: unknown;
}

const ENTITIES = [
  'user',
  'key',
  'credential',
  'webhook',
  'flow',
  'migration',
  'template',
  'data-set',
];

interface Filter {
  actor: string;
  entity: string;
  entityId: string;
  from: string;
  to: string;
}

const queryOf = (filter: Filter, cursor?: string) => {
  const params = new URLSearchParams({ limit: '50' });
  for (const [k, v] of Object.entries(filter)) if (v) params.set(k, v);
  if (cursor) params.set('cursor', cursor);
  return `/audit?${params}`;
};

const brief = (value: unknown) => (value == null ? '' : JSON.stringify(value, null, 1));

/** The audit log (admin only): who changed what, when, before and after; filtered, paged. */
export function AuditPage() {
  const { t, i18n } = useTranslation();
  const [draft, setDraft] = useState<Filter>({
    actor: '',
    entity: '',
    entityId: '',
    from: '',
    to: '',
  });
  const [filter, setFilter] = useState(draft);
  const [items, setItems] = useState<AuditEntry[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  const [names, setNames] = useState<Record<string, string>>({});
  useEffect(() => {
    void api<{ items: { id: string; name: string }[] }>('GET', '/users')
      .then((r) => setNames(Object.fromEntries(r.items.map((u) => [u.id, u.name]))))
      .catch(() => undefined);
  }, []);

  const load = useCallback(
    (cursor?: string) =>
      api<{ items: AuditEntry[]; nextCursor: string | null }>('GET', queryOf(filter, cursor))
        .then((page) => {
          setItems((before) => (cursor ? [...before, ...page.items] : page.items));
          setNext(page.nextCursor);
          setError(undefined);
        })
        .catch((e) => setError(messageOf(e))),
    [filter],
  );
  useEffect(() => void load(), [load]);

  function submit(event: FormEvent) {
    event.preventDefault();
    setFilter({ ...draft });
  }
  const set = (key: keyof Filter) => (e: { target: { value: string } }) =>
    setDraft({ ...draft, [key]: e.target.value });
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'medium' });

  return (
    <main className="page audit">
      <h1>{t('audit.title')}</h1>
      <p className="muted">{t('audit.intro')}</p>
      <form className="card filters" onSubmit={submit}>
        <label>
          {t('audit.actor')}
          <input name="audit-actor" value={draft.actor} onChange={set('actor')} />
        </label>
        <label>
          {t('audit.entity')}
          <select name="audit-entity" value={draft.entity} onChange={set('entity')}>
            <option value="">{t('audit.any')}</option>
            {ENTITIES.map((e) => (
              <option key={e} value={e}>
                {e}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('audit.entityId')}
          <input name="audit-entity-id" value={draft.entityId} onChange={set('entityId')} />
        </label>
        <label>
          {t('audit.from')}
          <input name="audit-from" type="date" value={draft.from} onChange={set('from')} />
        </label>
        <label>
          {t('audit.to')}
          <input name="audit-to" type="date" value={draft.to} onChange={set('to')} />
        </label>
        <button type="submit">{t('audit.filter')}</button>
      </form>
      {error && <p className="error">{error}</p>}
      {items.length === 0 ? (
        <p className="muted">{t('audit.none')}</p>
      ) : (
        <table data-testid="audit">
          <thead>
            <tr>
              <th>{t('audit.when')}</th>
              <th>{t('audit.actor')}</th>
              <th>{t('audit.entity')}</th>
              <th>{t('audit.action')}</th>
              <th>{t('audit.before')}</th>
              <th>{t('audit.after')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((e) => (
              <tr key={e.id}>
                <td>{date.format(new Date(e.at))}</td>
                <td title={e.actor}>{names[e.actor] ?? e.actor}</td>
                <td>
                  {e.entity} <code>{e.entityId}</code>
                </td>
                <td>{e.action}</td>
                <td>
                  <pre>{brief(e.before)}</pre>
                </td>
                <td>
                  <pre>{brief(e.after)}</pre>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next && (
        <button className="ghost" onClick={() => void load(next)}>
          {t('audit.more')}
        </button>
      )}
    </main>
  );
}
