import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { io } from 'socket.io-client';
import type { Flow } from '@ordo/engine';
import { DrillDownBar, type Filters, fromHash } from '../components/DrillDownBar';
import { SavedViews } from '../components/SavedViews';
import { api, token } from '../api';
import { windowRows } from '../model/window-rows';
import { messageOf } from './integrations/message-of';
import { stateLabel } from '../model/data-changes';
import { labelIn } from '../model/flow-graph';
import { orderName } from '../model/order-names';
import { NewOrderDialog } from './orders/NewOrderDialog';
import { type Order, OrderDetail } from './orders/OrderDetail';

const ROW = 40;
/** Orders fetched at a time; more come as the list is scrolled. */
const PAGE = 200;

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
  const [scroll, setScroll] = useState(0);
  const listRef = useRef<HTMLDivElement>(null);

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
  useEffect(() => {
    // Keep the current row in view.
    const list = listRef.current;
    if (!list) return;
    const top = current * ROW;
    if (top < list.scrollTop) list.scrollTop = top;
    else if (top + ROW > list.scrollTop + list.clientHeight)
      list.scrollTop = top + ROW - list.clientHeight;
  }, [current]);

  const view = windowRows(orders.length, ROW, scroll, 560);
  const toggle = (id: string) =>
    setPicked((p) => {
      const next = new Set(p);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'short' });
  return (
    <main className="page orders">
      <h1>{t('orders.title')}</h1>
      <div className="inline">
        <select
          name="orders-flow"
          value={flow}
          onChange={(e) => (setFlow(e.target.value), setState(''))}
        >
          {flows.map((f) => (
            <option key={f.key} value={f.key}>
              {labelIn(f.name, i18n.language, f.key)}
            </option>
          ))}
        </select>
        <input
          name="orders-q"
          placeholder={t('orders.search')}
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
        <input
          name="orders-customer"
          placeholder={t('orders.customer')}
          value={filters.customer ?? ''}
          onChange={(e) => setFilters({ ...filters, customer: e.target.value })}
        />
        <select
          name="orders-channel"
          value={filters.channel ?? ''}
          onChange={(e) => setFilters({ ...filters, channel: e.target.value })}
        >
          <option value="">{t('orders.anyChannel')}</option>
          {['api', 'webhook', 'csv', 'xlsx', 'jsonl', 'sample'].map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
        <input
          name="orders-from"
          type="date"
          aria-label={t('orders.from')}
          value={filters.createdFrom?.slice(0, 10) ?? ''}
          onChange={(e) =>
            setFilters({
              ...filters,
              createdFrom: e.target.value && `${e.target.value}T00:00:00.000Z`,
            })
          }
        />
        <input
          name="orders-to"
          type="date"
          aria-label={t('orders.to')}
          value={filters.createdTo?.slice(0, 10) ?? ''}
          onChange={(e) =>
            setFilters({
              ...filters,
              createdTo: e.target.value && `${e.target.value}T23:59:59.999Z`,
            })
          }
        />
        <SavedViews<ListSettings>
          page="orders"
          current={{ flow, state, q, filters }}
          onApply={applyView}
          legacyKey="ordo.orderViews"
        />
        <button name="new-order" disabled={!flow} onClick={() => setCreating(true)}>
          {t('workbench.newOrder')}
        </button>
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
      <div className="inline state-counts" data-testid="state-counts">
        <button className={state ? 'ghost' : ''} onClick={() => setState('')}>
          {t('orders.all')} {Object.values(counts).reduce((a, b) => a + b, 0)}
        </button>
        {Object.entries(counts).map(([s, n]) => (
          <button
            key={s}
            data-state={s}
            className={state === s ? '' : 'ghost'}
            onClick={() => setState(s)}
          >
            {label(s)} {n}
          </button>
        ))}
      </div>
      {error && <p className="error">{error}</p>}
      {picked.size > 0 && (
        <div className="inline">
          <span>{t('orders.selected', { count: picked.size })}</span>
          <input
            name="bulk-event"
            placeholder={t('orders.event')}
            value={bulkEvent}
            onChange={(e) => setBulkEvent(e.target.value)}
          />
          <button disabled={!bulkEvent} onClick={() => void bulk()}>
            {t('orders.fire')}
          </button>
        </div>
      )}
      {bulkResult && <p data-testid="bulk-result">{bulkResult}</p>}
      <p className="muted" data-testid="orders-loaded">
        {t('orders.loaded', {
          loaded: orders.length,
          total: state ? (counts[state] ?? 0) : Object.values(counts).reduce((a, b) => a + b, 0),
        })}
      </p>
      <div
        className="order-list"
        ref={listRef}
        onScroll={(e) => {
          const list = e.currentTarget;
          setScroll(list.scrollTop);
          if (list.scrollTop + list.clientHeight > list.scrollHeight - 20 * ROW) void more();
        }}
        data-testid="orders"
      >
        <div style={{ height: view.before }} />
        {orders.slice(view.first, view.last).map((o, i) => (
          <div
            key={o.id}
            className={`order-row${open === o.id ? ' open' : ''}${view.first + i === current ? ' current' : ''}`}
            style={{ height: ROW }}
          >
            <input
              type="checkbox"
              aria-label={orderName(o, doc)}
              checked={picked.has(o.id)}
              onChange={() => toggle(o.id)}
            />
            <button className="ghost" onClick={() => setOpen(open === o.id ? undefined : o.id)}>
              {orderName(o, doc)}
            </button>
            <span className="badge" data-state={o.state}>
              {label(o.state)}
            </span>
            <span className="muted">{o.channel}</span>
            <span className="muted">{date.format(new Date(o.updatedAt))}</span>
          </div>
        ))}
        <div style={{ height: view.after }} />
      </div>
      {open && <OrderDetail id={open} onChanged={load} />}
    </main>
  );
}
