import { Alert, Button, Card, Space, Table, Tag } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AvailableTransition, Flow, HistoryEntry } from '@ordo/engine';
import { api, currentUser } from '../../api';
import { FlowPreview } from '../../components/FlowPreview';
import { OrderForm } from '../../components/OrderForm';
import { StateTag } from '../../components/StateTag';
import { orderName } from '../../model/order-names';
import { formAccess } from '../../model/ownership';
import { messageOf } from '../integrations/message-of';
import { NextSteps } from './NextSteps';
import { OrderTimeline } from './OrderTimeline';

/** An order as the API answers it. */
export interface Order {
  id: string;
  flow: string;
  flowVersion: number;
  state: string;
  version: number;
  data: Record<string, unknown>;
  channel: string;
  externalRef: string | null;
  updatedAt: string;
}

/**
 * One order, as an antd card: its data, what can happen next (and why a blocked step is
 * blocked), its timeline and its effects (a table).
 */
export function OrderDetail({ id, onChanged }: { id: string; onChanged: () => Promise<void> }) {
  const { t, i18n } = useTranslation();
  const [order, setOrder] = useState<Order>();
  const [flowDoc, setFlowDoc] = useState<Flow>();
  const [draft, setDraft] = useState<Record<string, unknown>>();
  const [mayEdit, setMayEdit] = useState(false);
  const [me, setMe] = useState<{ id: string; roles: string[] }>();
  // The first step that can be taken has the focus: Enter takes it (the keyboard's "next").
  const firstStep = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    void currentUser().then((me) => {
      setMe(me);
      setMayEdit(me.roles.some((r) => r === 'admin' || r === 'operator'));
    });
  }, []);
  const [next, setNext] = useState<AvailableTransition[]>([]);
  const [history, setHistory] = useState<HistoryEntry[]>([]);
  const [effects, setEffects] = useState<
    { type: string; status: string; lastError: string | null }[]
  >([]);
  const [error, setError] = useState<string>();
  const load = useCallback(async () => {
    const [o, tr, h, e] = await Promise.all([
      api<Order>('GET', `/orders/${id}`),
      api<{ items: AvailableTransition[] }>('GET', `/orders/${id}/transitions`),
      api<{ items: typeof history }>('GET', `/orders/${id}/history`),
      api<{ items: typeof effects }>('GET', `/orders/${id}/effects`),
    ]);
    setOrder(o);
    setFlowDoc(
      (await api<{ document: Flow }>('GET', `/flows/${o.flow}/versions/${o.flowVersion}`)).document,
    );
    setNext(tr.items);
    setHistory(h.items);
    setEffects(e.items);
  }, [id]);
  useEffect(() => void load(), [load]);
  useEffect(() => firstStep.current?.focus(), [next]);

  /** Saves the edited data as a JSON merge patch (top-level fields removed become null). */
  async function save() {
    setError(undefined);
    const data = draft!;
    const patch: Record<string, unknown> = { ...data };
    for (const key of Object.keys(order!.data)) if (!(key in data)) patch[key] = null;
    try {
      await api('PATCH', `/orders/${id}`, patch);
      setDraft(undefined);
      await load();
      await onChanged();
    } catch (e) {
      setError(messageOf(e));
    }
  }

  async function fire(event: string) {
    setError(undefined);
    try {
      await api('POST', `/orders/${id}/events`, { type: event, expectedVersion: order?.version });
      await load();
      await onChanged();
    } catch (e) {
      setError(messageOf(e));
    }
  }

  if (!order) return null;
  return (
    <Card
      className="order-detail"
      data-testid="order-detail"
      title={
        <h2>
          {orderName(order, flowDoc)} ·{' '}
          <StateTag doc={flowDoc} state={order.state} locale={i18n.language} />
        </h2>
      }
    >
      {error && <Alert type="error" showIcon role="alert" title={error} />}
      <h3>{t('orders.next')}</h3>
      {flowDoc && (
        <NextSteps next={next} flow={flowDoc} firstStep={firstStep} onFire={(e) => void fire(e)} />
      )}
      {flowDoc && <FlowPreview flow={flowDoc} locale={i18n.language} current={order.state} />}
      <h3>{t('orders.data')}</h3>
      {flowDoc && (
        <OrderForm
          fields={flowDoc.fields}
          value={draft ?? order.data}
          locale={i18n.language}
          onChange={draft ? setDraft : undefined}
          access={me && formAccess(flowDoc.fields, me)}
        />
      )}
      {mayEdit && !draft && (
        <Button onClick={() => setDraft(order.data)}>{t('orders.edit')}</Button>
      )}
      {draft && (
        <Space>
          <Button type="primary" onClick={() => void save()}>
            {t('orders.save')}
          </Button>
          <Button onClick={() => setDraft(undefined)}>{t('orders.cancel')}</Button>
        </Space>
      )}
      <h3>{t('orders.timeline')}</h3>
      {flowDoc && (
        <OrderTimeline history={history} flow={flowDoc} orderId={order.id} data={order.data} />
      )}
      <h3>{t('orders.effects')}</h3>
      <Table
        size="small"
        className="order-effects"
        pagination={false}
        rowKey={(_, i) => String(i)}
        dataSource={effects}
        columns={[
          { key: 'type', title: t('orders.effectType'), dataIndex: 'type' },
          {
            key: 'status',
            title: t('orders.effectStatus'),
            render: (_, e) => <Tag color={EFFECT_COLOURS[e.status]}>{e.status}</Tag>,
          },
          {
            key: 'error',
            title: t('orders.effectError'),
            render: (_, e) => e.lastError && <span className="error-text">{e.lastError}</span>,
          },
        ]}
      />
    </Card>
  );
}

/** An effect's status by its colour: done green, failed red, under way blue. */
const EFFECT_COLOURS: Record<string, string | undefined> = {
  done: 'success',
  failed: 'error',
  dead: 'error',
  pending: 'processing',
  running: 'processing',
};
