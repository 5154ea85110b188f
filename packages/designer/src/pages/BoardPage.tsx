import { Alert, Button, Card } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { io } from 'socket.io-client';
import type { Flow } from '@ordo/engine';
import { api, token } from '../api';
import { type BoardRoute, boardColumns, dataText } from '../model/board';
import { labelIn } from '../model/flow-graph';
import { messageOf } from './integrations/message-of';

interface BoardOrder {
  id: string;
  state: string;
  data: Record<string, unknown>;
  externalRef: string | null;
  updatedAt: string;
}

/** Cards per column (the column's count says how many there are in all). */
const PER_COLUMN = 50;
const FIELD_TYPES = ['string', 'number', 'integer', 'enum', 'date', 'datetime', 'reference'];

/**
 * The shop-floor board (`#/board/<flow>?states=a,b&lang=zh-CN`): full screen, no app chrome,
 * the flow's orders as cards in a column per state, labels in the chosen language; live — an
 * order that changes moves without a reload.
 */
export function BoardPage({ route }: { route: BoardRoute }) {
  const { t, i18n } = useTranslation();
  const [flow, setFlow] = useState<Flow>();
  const [orders, setOrders] = useState<Record<string, BoardOrder[]>>({});
  const [counts, setCounts] = useState<Record<string, number>>({});
  const [error, setError] = useState<string>();
  const [now, setNow] = useState(() => Date.now());
  const locale = i18n.language;

  useEffect(() => {
    if (route.lang && route.lang !== i18n.language) void i18n.changeLanguage(route.lang);
  }, [route.lang, i18n]);
  useEffect(() => {
    void api<{ latest: Flow | null; draft: Flow }>('GET', `/flows/${route.flow}`)
      .then((view) => setFlow(view.latest ?? view.draft))
      .catch((e) => setError(messageOf(e)));
  }, [route.flow]);
  const columns = flow ? boardColumns(flow, route.states, locale) : [];
  const states = columns.map((c) => c.state).join(',');

  const load = useCallback(async () => {
    if (!states) return;
    try {
      const ids = states.split(',');
      const [lists, c] = await Promise.all([
        Promise.all(
          ids.map((state) =>
            api<{ items: BoardOrder[] }>(
              'GET',
              `/orders?${new URLSearchParams({ flow: route.flow, state, limit: String(PER_COLUMN) })}`,
            ),
          ),
        ),
        api<{ states: Record<string, number> }>('GET', `/orders/counts?flow=${route.flow}`),
      ]);
      setOrders(Object.fromEntries(ids.map((id, i) => [id, lists[i].items])));
      setCounts(c.states);
      setError(undefined);
    } catch (e) {
      setError(messageOf(e));
    }
  }, [route.flow, states]);

  useEffect(() => void load(), [load]);
  useEffect(() => {
    if (!states) return;
    const socket = io('/live', { auth: { token: token.get() }, transports: ['websocket'] });
    // Read again once subscribed: changes made before it are not missed.
    socket.on('connect', () => {
      void socket.emitWithAck('subscribe', { flow: route.flow }).then(() => load());
    });
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
  }, [route.flow, states, load]);
  useEffect(() => {
    const tick = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(tick);
  }, []);

  // The customer and the first other plain fields tell the cards apart.
  const shown = (flow?.fields ?? [])
    .filter((f) => FIELD_TYPES.includes(f.type) && f.key !== flow?.customer)
    .slice(0, 2);
  const ago = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const age = (at: string) => {
    const minutes = Math.round((new Date(at).getTime() - now) / 60_000);
    return Math.abs(minutes) < 60
      ? ago.format(minutes, 'minute')
      : Math.abs(minutes) < 48 * 60
        ? ago.format(Math.round(minutes / 60), 'hour')
        : ago.format(Math.round(minutes / 1440), 'day');
  };
  const fullScreen = () =>
    void (document.fullscreenElement
      ? document.exitFullscreen()
      : document.documentElement.requestFullscreen());

  return (
    <main className="board" data-testid="board">
      <header className="board-head">
        <h1>{flow ? labelIn(flow.name, locale, route.flow) : route.flow}</h1>
        <span className="muted">{t('board.live')}</span>
        <span className="spacer" />
        <Button size="large" onClick={fullScreen}>
          {t('board.fullScreen')}
        </Button>
      </header>
      {error && <Alert type="error" showIcon title={error} />}
      <div
        className="board-columns"
        style={{
          gridTemplateColumns: `repeat(${Math.max(columns.length, 1)}, minmax(180px, 1fr))`,
        }}
      >
        {columns.map((column) => (
          <section
            key={column.state}
            className={column.final ? 'board-column final' : 'board-column'}
            data-testid={`board-column-${column.state}`}
          >
            <h2>
              {column.label}
              <span className="board-count">{counts[column.state] ?? 0}</span>
            </h2>
            <ol>
              {(orders[column.state] ?? []).map((order) => (
                <li key={order.id} className="board-card" data-testid={`board-card-${order.id}`}>
                  <Card size="small">
                    <strong>{order.externalRef ?? order.id.slice(0, 8)}</strong>
                    {flow?.customer && <span>{dataText(order.data, flow.customer)}</span>}
                    {shown.map((f) => {
                      const value = dataText(order.data, f.key);
                      return value ? (
                        <span key={f.key} className="muted">
                          {labelIn(f.label, locale, f.key)}: {value}
                        </span>
                      ) : null;
                    })}
                    <time className="muted" dateTime={order.updatedAt}>
                      {age(order.updatedAt)}
                    </time>
                  </Card>
                </li>
              ))}
              {(counts[column.state] ?? 0) > (orders[column.state]?.length ?? 0) && (
                <li className="muted">
                  {t('board.more', {
                    count: (counts[column.state] ?? 0) - (orders[column.state]?.length ?? 0),
                  })}
                </li>
              )}
            </ol>
          </section>
        ))}
      </div>
    </main>
  );
}
