import {
  applyCallAnswer,
  systemActor,
  type AvailableTransition,
  type CallAnswer,
  compileFlow,
  type ConnectorCallEffect,
  type EngineError,
  type EngineResult,
  type Flow,
  type Order,
} from '@ordo/engine';
import { Button, Card, Checkbox, Input, Space } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { stateLabel } from '../model/data-changes';
import { defaultsOf, OrderForm } from './OrderForm';
import { ErrorAlert, TextField } from './TextField';

/** The simulation: the draft's engine in the browser, a test order, events fired as a role. */
export interface Simulation {
  order?: Order;
  visited: string[];
  /** Connector calls the order made and nobody has answered yet (canned answers below). */
  calls?: ConnectorCallEffect[];
}

const callsOf = (result: Extract<EngineResult, { ok: true }>) =>
  result.effects.filter((e): e is ConnectorCallEffect => e.type === 'connector.call');

export function SimulatePanel({
  doc,
  simulation,
  onChange,
}: {
  doc: Flow;
  simulation: Simulation;
  onChange: (s: Simulation) => void;
}) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const named = (state: string) => stateLabel(doc, state, locale);
  // The test order's data, entered in the form the flow's fields describe.
  const [data, setData] = useState<Record<string, unknown>>(() => defaultsOf(doc.fields ?? []));
  const [roles, setRoles] = useState('admin');
  // Events that only the system fires (webhooks, timers) are simulated as the system.
  const [asSystem, setAsSystem] = useState(false);
  const [refusal, setRefusal] = useState<string>();
  const [answers, setAnswers] = useState<Record<number, string>>({});
  const flow = useMemo(() => {
    try {
      return { compiled: compileFlow(doc) };
    } catch (error) {
      return { error: (error as Error).message };
    }
  }, [doc]);
  const ctx = (system = asSystem) => ({
    now: new Date().toISOString(),
    actor: system
      ? systemActor('simulator')
      : {
          id: 'simulator',
          kind: 'person' as const,
          roles: roles
            .split(',')
            .map((r) => r.trim())
            .filter(Boolean),
        },
    id: 'simulated-order',
  });
  const explain = (error: EngineError) =>
    `${error.code}: ${error.explanation?.message ?? error.problems?.map((p) => `${p.path || '/'} ${p.message}`).join('; ') ?? error.message}`;

  if (!flow.compiled) return <ErrorAlert message={flow.error} />;
  const compiled = flow.compiled;
  const available: AvailableTransition[] = simulation.order
    ? compiled.available(simulation.order, ctx())
    : [];

  function create() {
    try {
      const result = compiled.create(data, ctx());
      if (!result.ok) return setRefusal(explain(result.error));
      setRefusal(undefined);
      onChange({
        order: result.order,
        visited: [...new Set(result.history.map((h) => h.to))],
        calls: callsOf(result),
      });
    } catch (error) {
      setRefusal((error as Error).message);
    }
  }

  function fire(event: string) {
    const result = compiled.fire(simulation.order!, { type: event }, ctx());
    if (!result.ok) return setRefusal(explain(result.error));
    setRefusal(undefined);
    onChange({
      order: result.order,
      visited: [...simulation.visited, ...result.history.map((h) => h.to)],
      calls: [...(simulation.calls ?? []), ...callsOf(result)],
    });
  }

  /** A canned answer to an open call, applied as the server's runtime would apply it. */
  function answer(index: number, ok: boolean) {
    const call = simulation.calls![index];
    let reply: CallAnswer;
    try {
      reply = ok
        ? { ok: true, output: JSON.parse(answers[index] ?? '{}') }
        : { ok: false, error: { code: 'failed', message: answers[index] || 'simulated failure' } };
    } catch (error) {
      return setRefusal((error as Error).message);
    }
    // A connector's answer is the system's, whoever simulates it.
    const result = applyCallAnswer(compiled, simulation.order!, call, reply, ctx(true));
    if (!result.ok) return setRefusal(explain(result.error));
    setRefusal(undefined);
    onChange({
      order: result.order,
      visited: [
        ...simulation.visited,
        ...result.history.filter((h) => h.kind === 'transition').map((h) => h.to),
      ],
      calls: [...simulation.calls!.filter((_, i) => i !== index), ...callsOf(result)],
    });
  }

  return (
    <div className="form">
      <p className="muted">{t('simulate.nothingPersisted')}</p>
      {(doc.fields ?? []).length > 0 && (
        <Card
          size="small"
          className="simulate-data"
          data-testid="simulate-data"
          title={t('simulate.data')}
        >
          <OrderForm fields={doc.fields} value={data} locale={locale} onChange={setData} />
        </Card>
      )}
      <TextField
        name="simulate-roles"
        label={t('simulate.roles')}
        value={roles}
        onChange={setRoles}
      />
      <Checkbox
        name="simulate-as-system"
        checked={asSystem}
        onChange={(e) => setAsSystem(e.target.checked)}
      >
        {t('simulate.asSystem')}
      </Checkbox>
      <Space wrap>
        <Button type="primary" onClick={create}>
          {t('simulate.create')}
        </Button>
        <Button onClick={() => (setRefusal(undefined), onChange({ visited: [] }))}>
          {t('simulate.reset')}
        </Button>
      </Space>
      {refusal && (
        <ErrorAlert testId="simulate-refusal" message={`${t('simulate.refused')} — ${refusal}`} />
      )}
      {simulation.order && (
        <>
          <p>
            {t('simulate.state')}:{' '}
            <strong data-testid="simulate-state" data-state={simulation.order.state}>
              {named(simulation.order.state)}
            </strong>{' '}
            (v
            {simulation.order.version})
          </p>
          <h3>{t('simulate.events')}</h3>
          <ul className="transitions">
            {available
              .filter((a) => !a.auto)
              .map((a) => (
                <li key={a.id} data-event={a.event}>
                  <Button size="small" onClick={() => fire(a.event!)} title={a.reason}>
                    {t('simulate.fire')} {a.event}
                  </Button>
                  → {named(a.to)}{' '}
                  {!a.enabled && (
                    <span className="blocked">
                      {t('simulate.blocked')}: {a.reason}
                    </span>
                  )}
                </li>
              ))}
          </ul>
          {(simulation.calls ?? []).length > 0 && (
            <>
              <h3>{t('simulate.calls')}</h3>
              <ul className="transitions" data-testid="simulate-calls">
                {simulation.calls!.map((call, i) => (
                  <li key={`${call.version}-${i}`}>
                    <code>
                      {call.connector}.{call.action}
                    </code>{' '}
                    <Space.Compact block>
                      <Input
                        size="small"
                        aria-label={t('simulate.answer')}
                        name={`call-answer-${i}`}
                        placeholder='{"tier": "A"}'
                        value={answers[i] ?? ''}
                        onChange={(e) => setAnswers({ ...answers, [i]: e.target.value })}
                      />
                      <Button size="small" type="primary" onClick={() => answer(i, true)}>
                        {t('simulate.succeed')}
                      </Button>
                      <Button size="small" onClick={() => answer(i, false)}>
                        {t('simulate.fail')}
                      </Button>
                    </Space.Compact>
                  </li>
                ))}
              </ul>
            </>
          )}
          <p className="muted">
            {t('simulate.history')}:{' '}
            <span data-testid="simulate-path">{simulation.visited.map(named).join(' → ')}</span>
          </p>
        </>
      )}
    </div>
  );
}
