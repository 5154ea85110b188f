import { Alert, Button, DatePicker, Input, Select, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ListTable } from '../components/ListTable';
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

  const day = (text: string) => (text ? dayjs(text) : null);
  return (
    <main className="page audit">
      <Typography.Title level={1}>{t('audit.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('audit.intro')}</Typography.Paragraph>
      <form className="filters-bar" onSubmit={submit}>
        <Input
          name="audit-actor"
          className="filter-text"
          placeholder={t('audit.actor')}
          aria-label={t('audit.actor')}
          value={draft.actor}
          onChange={set('actor')}
        />
        <Select
          data-testid="audit-entity"
          className="filter-channel"
          aria-label={t('audit.entity')}
          value={draft.entity}
          onChange={(entity: string) => setDraft({ ...draft, entity })}
          options={[
            { value: '', label: t('audit.any') },
            ...ENTITIES.map((e) => ({ value: e, label: e })),
          ]}
        />
        <Input
          name="audit-entity-id"
          className="filter-text"
          placeholder={t('audit.entityId')}
          aria-label={t('audit.entityId')}
          value={draft.entityId}
          onChange={set('entityId')}
        />
        <DatePicker.RangePicker
          allowEmpty={[true, true]}
          placeholder={[t('audit.from'), t('audit.to')]}
          value={[day(draft.from), day(draft.to)]}
          onChange={(range) =>
            setDraft({
              ...draft,
              from: range?.[0]?.format('YYYY-MM-DD') ?? '',
              to: range?.[1]?.format('YYYY-MM-DD') ?? '',
            })
          }
        />
        <Button type="primary" htmlType="submit">
          {t('audit.filter')}
        </Button>
      </form>
      {error && <Alert className="error" type="error" showIcon title={error} />}
      <ListTable<AuditEntry>
        data-testid="audit"
        empty={t('audit.none')}
        dataSource={items}
        columns={[
          {
            key: 'when',
            title: t('audit.when'),
            width: 170,
            render: (_, e) => date.format(new Date(e.at)),
          },
          {
            key: 'actor',
            title: t('audit.actor'),
            width: 140,
            render: (_, e) => <span title={e.actor}>{names[e.actor] ?? e.actor}</span>,
          },
          {
            key: 'entity',
            title: t('audit.entity'),
            render: (_, e) => (
              <>
                <Tag>{e.entity}</Tag> <code>{e.entityId}</code>
              </>
            ),
          },
          { key: 'action', title: t('audit.action'), dataIndex: 'action', width: 120 },
          {
            key: 'before',
            title: t('audit.before'),
            render: (_, e) => <pre>{brief(e.before)}</pre>,
          },
          {
            key: 'after',
            title: t('audit.after'),
            render: (_, e) => <pre>{brief(e.after)}</pre>,
          },
        ]}
      />
      {next && (
        <Button className="more" onClick={() => void load(next)}>
          {t('audit.more')}
        </Button>
      )}
    </main>
  );
}
