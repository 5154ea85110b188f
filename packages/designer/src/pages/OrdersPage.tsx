import { Alert, Button, Checkbox, DatePicker, Input, Select, Space, Table, Typography } from 'antd';
import type { TableProps } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { io } from 'socket.io-client';
import type { Flow } from '@ordo/engine';
import { DrillDownBar, type Filters, fromHash } from '../components/DrillDownBar';
import { SavedViews } from '../components/SavedViews';
import { api, token } from '../api';
import { messageOf } from './integrations/message-of';
import { stateLabel } from '../model/data-changes';
import { StateTag } from '../components/StateTag';
import { labelIn } from '../model/flow-graph';
import { orderName } from '../model/order-names';
import { NewOrderDialog } from './orders/NewOrderDialog';
import { type Order, OrderDetail } from './orders/OrderDetail';

/** Orders fetched at a time; more come as the list is scrolled. */
const PAGE = 200;
/** The list's height: rows beyond it are not drawn (the table's virtual scroll). */
const LIST_HEIGHT = 560;
/** The channels an order can come from (the channel filter's choices). */
const CHANNELS = ['api', 'webhook', 'csv', 'xlsx', 'jsonl', 'sample'];

/** What a saved view of the list keeps. */
interface ListSettings {
  flow: string;
  state: string;
  q: string;
  filters: Filters;
}

/**
 * Live orders of a flow: counts per state (click one to filter), a text search, a windowed list
 * (only the rows in view are drawn), bulk events on the selected orders with a result each,
 * and the order's detail — data, what can happen next (and why not), timeline and effects.
 */
export function OrdersPage() {
  const { t, i18n } = useTranslation();
  const [flows, setFlows] = useState<{ key: string; name: Flow['name'] }[]>([]);
  const [flow, setFlow] = useState('');
  /** The flow's latest published document: its state labels and fields. */
  const [doc, setDoc] = useState<Flow>();
  const [creating, setCreating] = useState(
    () => new URLSearchParams(window.location.hash.split('?')[1]).get('new') === '1',
  );
  const [counts, setCounts] = useState<Record<string, number>>({});
  const [linked] = useState(fromHash);
  const [state, setState] = useState(linked.state);
  const [q, setQ] = useState(linked.q);
  const [filters, setFilters] = useState<Filters>(linked.filters);
  const [current, setCurrent] = useState(0);
  const [orders, setOrders] = useState<Order[]>([]);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [open, setOpen] = useState<string>();
  const [bulkEvent, setBulkEvent] = useState('');
  const [bulkResult, setBulkResult] = useState<string>();
  const [error, setError] = useState<string>();
  const tableRef = useRef<{ scrollTo(config: { index: number }): void }>(null);

  useEffect(() => {
    void api<{ items: { key: string; name: Flow['name']; latestVersion: number | null }[] }>(
      'GET',
      '/flows',
    ).then((r) => {
      const published = r.items.filter((f) => f.latestVersion);
      setFlows(published);
      setFlow(
        new URLSearchParams(window.location.hash.split('?')[1]).get('flow') ??
          published[0]?.key ??
          '',
      );
    });
  }, []);
  useEffect(() => {
    setDoc(undefined);
    if (!flow) return;
    void api<{ latestVersion: number | null }>('GET', `/flows/${flow}`)
      .then((f) =>
        f.latestVersion
          ? api<{ document: Flow }>('GET', `/flows/${flow}/versions/${f.latestVersion}`)
          : undefined,
      )
      .then((v) => setDoc(v?.document))
      .catch((e) => setError(messageOf(e)));
  }, [flow]);
  const label = (state: string) => stateLabel(doc, state, i18n.language);

  const query = useCallback(
    (cursor?: string) => {
      const params = new URLSearchParams({ flow, limit: String(PAGE) });
      if (state) params.set('state', state);
      if (q) params.set('q', q);
      for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
      if (cursor) params.set('cursor', cursor);
      return api<{ items: Order[]; nextCursor: string | null }>('GET', `/orders?${params}`);
    },
    [flow, state, q, filters],
  );
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const loading = useRef(false);

  /** The first page again (after a change, live or filtered), with the counts. */
  const load = useCallback(async () => {
    if (!flow) return;
    try {
      const [list, c] = await Promise.all([
        query(),
        api<{ states: Record<string, number> }>('GET', `/orders/counts?flow=${flow}`),
      ]);
      setOrders(list.items);
      setNextCursor(list.nextCursor);
      setCounts(c.states);
    } catch (e) {
      setError(messageOf(e));
    }
  }, [flow, query]);

  /** The next page, when the list is scrolled near its end (keyset cursor, any depth). */
  const more = useCallback(async () => {
    if (!nextCursor || loading.current) return;
    loading.current = true;
    try {
      const page = await query(nextCursor);
      setOrders((o) => [...o, ...page.items]);
      setNextCursor(page.nextCursor);
    } finally {
      loading.current = false;
    }
  }, [nextCursor, query]);

  useEffect(() => void load(), [load]);
  useEffect(() => {
    if (!flow) return;
    const socket = io('/live', { auth: { token: token.get() }, transports: ['websocket'] });
    // Once subscribed, read the list again: changes made before it are not missed.
    socket.on('connect', () => void socket.emitWithAck('subscribe', { flow }).then(() => load()));
    let timer: ReturnType<typeof setTimeout> | undefined;
    // A burst of changes reloads once.
    const later = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void load(), 150);
    };
    for (const name of ['order.created', 'order.updated', 'order.transitioned'])
      socket.on(name, later);
    return () => {
      clearTimeout(timer);
      socket.close();
    };
  }, [flow, load]);

  async function bulk() {
    setBulkResult(undefined);
    try {
      const r = await api<{
        fired: number;
        refused: number;
        results: { id: string; ok: boolean; detail?: string }[];
      }>('POST', '/orders/bulk/events', { ids: [...picked], type: bulkEvent });
      setBulkResult(t('orders.bulkDone', { fired: r.fired, refused: r.refused }));
      setPicked(new Set());
      await load();
    } catch (e) {
      setError(messageOf(e));
    }
  }

  const applyView = (v: ListSettings) => {
    setFlow(v.flow);
    setState(v.state);
    setQ(v.q);
    setFilters(v.filters);
  };

  // Keyboard: ↑/↓ move through the list, Enter opens the order (the detail fires its steps).
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.target as HTMLElement).closest('input, textarea, select, button')) return;
      if (event.key === 'ArrowDown') setCurrent((c) => Math.min(c + 1, orders.length - 1));
      else if (event.key === 'ArrowUp') setCurrent((c) => Math.max(c - 1, 0));
      else if (event.key === 'Enter' && orders[current]) setOpen(orders[current].id);
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });
  // Keep the current row in view.
  useEffect(() => tableRef.current?.scrollTo({ index: current }), [current]);

  const toggle = (id: string) =>
    setPicked((p) => {
      const next = new Set(p);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'short' });
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const columns: TableProps<Order>['columns'] = [
    {
      key: 'pick',
      width: 48,
      render: (_, o) => (
        <Checkbox
          aria-label={orderName(o, doc)}
          checked={picked.has(o.id)}
          onChange={() => toggle(o.id)}
        />
      ),
    },
    {
      key: 'name',
      title: t('orders.order'),
      width: 220,
      ellipsis: true,
      render: (_, o) => (
        <Button
          type="link"
          className="order-name"
          onClick={() => setOpen(open === o.id ? undefined : o.id)}
        >
          {orderName(o, doc)}
        </Button>
      ),
    },
    {
      key: 'state',
      title: t('orders.state'),
      width: 180,
      render: (_, o) => <StateTag doc={doc} state={o.state} locale={i18n.language} />,
    },
    { key: 'channel', title: t('orders.channel'), dataIndex: 'channel', width: 100 },
    {
      key: 'updated',
      title: t('orders.updated'),
      width: 160,
      render: (_, o) => (
        <Typography.Text type="secondary">{date.format(new Date(o.updatedAt))}</Typography.Text>
      ),
    },
  ];
  const day = (iso: string | undefined) => (iso ? dayjs(iso.slice(0, 10)) : null);
  return (
    <main className="page orders">
      <div className="page-head">
        <Typography.Title level={1}>{t('orders.title')}</Typography.Title>
        <Button type="primary" name="new-order" disabled={!flow} onClick={() => setCreating(true)}>
          {t('workbench.newOrder')}
        </Button>
      </div>
      <div className="filters-bar">
        <Select
          data-testid="orders-flow"
          className="filter-flow"
          value={flow || undefined}
          onChange={(value: string) => (setFlow(value), setState(''))}
          options={flows.map((f) => ({
            value: f.key,
            label: labelIn(f.name, i18n.language, f.key),
          }))}
        />
        <Input.Search
          name="orders-q"
          allowClear
          className="filter-text"
          placeholder={t('orders.search')}
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
        <Input
          name="orders-customer"
          allowClear
          className="filter-text"
          placeholder={t('orders.customer')}
          value={filters.customer ?? ''}
          onChange={(e) => setFilters({ ...filters, customer: e.target.value })}
        />
        <Select
          data-testid="orders-channel"
          className="filter-channel"
          value={filters.channel ?? ''}
          onChange={(value: string) => setFilters({ ...filters, channel: value })}
          options={[
            { value: '', label: t('orders.anyChannel') },
            ...CHANNELS.map((c) => ({ value: c, label: c })),
          ]}
        />
        <DatePicker.RangePicker
          data-testid="orders-created"
          allowEmpty={[true, true]}
          placeholder={[t('orders.from'), t('orders.to')]}
          value={[day(filters.createdFrom), day(filters.createdTo)]}
          onChange={(range) =>
            setFilters({
              ...filters,
              createdFrom: range?.[0] ? `${range[0].format('YYYY-MM-DD')}T00:00:00.000Z` : '',
              createdTo: range?.[1] ? `${range[1].format('YYYY-MM-DD')}T23:59:59.999Z` : '',
            })
          }
        />
        <SavedViews<ListSettings>
          page="orders"
          current={{ flow, state, q, filters }}
          onApply={applyView}
          legacyKey="ordo.orderViews"
        />
      </div>
      {creating && flow && (
        <NewOrderDialog
          flowKey={flow}
          onCancel={() => setCreating(false)}
          onCreated={(id) => {
            setCreating(false);
            setOpen(id);
            void load();
          }}
        />
      )}
      <DrillDownBar filters={filters} onClear={setFilters} />
      <Space wrap size={8} className="state-counts" data-testid="state-counts">
        <Button type={state ? 'default' : 'primary'} onClick={() => setState('')}>
          {t('orders.all')} <span className="count">{total}</span>
        </Button>
        {Object.entries(counts).map(([s, n]) => (
          <Button
            key={s}
            data-state={s}
            type={state === s ? 'primary' : 'default'}
            onClick={() => setState(s)}
          >
            {label(s)} <span className="count">{n}</span>
          </Button>
        ))}
      </Space>
      {error && <Alert type="error" showIcon title={error} />}
      {picked.size > 0 && (
        <div className="bulk-bar">
          <span>{t('orders.selected', { count: picked.size })}</span>
          <Input
            name="bulk-event"
            placeholder={t('orders.event')}
            value={bulkEvent}
            onChange={(e) => setBulkEvent(e.target.value)}
          />
          <Button type="primary" disabled={!bulkEvent} onClick={() => void bulk()}>
            {t('orders.fire')}
          </Button>
        </div>
      )}
      {bulkResult && <Alert type="success" showIcon data-testid="bulk-result" title={bulkResult} />}
      <div className={`orders-body${open ? ' with-detail' : ''}`}>
        <div className="order-list-wrap">
          <Typography.Text type="secondary" data-testid="orders-loaded">
            {t('orders.loaded', {
              loaded: orders.length,
              total: state ? (counts[state] ?? 0) : total,
            })}
          </Typography.Text>
          <Table<Order>
            ref={tableRef as never}
            data-testid="orders"
            className="order-list"
            virtual
            size="middle"
            rowKey="id"
            pagination={false}
            columns={columns}
            dataSource={orders}
            scroll={{ x: 708, y: LIST_HEIGHT }}
            rowClassName={(o, i) =>
              `order-row${open === o.id ? ' open' : ''}${i === current ? ' current' : ''}`
            }
            onScroll={(e) => {
              const list = e.currentTarget;
              if (list.scrollTop + list.clientHeight > list.scrollHeight - LIST_HEIGHT) void more();
            }}
          />
        </div>
        {open && <OrderDetail id={open} onChanged={load} />}
      </div>
    </main>
  );
}
