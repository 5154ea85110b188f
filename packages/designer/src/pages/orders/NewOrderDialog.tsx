import { compileFlow, type Field, type Flow } from '@ordo/engine';
import { Alert, Form, Input } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api';
import { Modal } from '../../components/Modal';
import { defaultsOf, OrderForm } from '../../components/OrderForm';
import { type DataProblem, problemsByPath, WORDED } from '../../model/data-problems';
import { labelIn } from '../../model/flow-graph';

type Data = Record<string, unknown>;

/**
 * A new order of a flow's latest published version, as the form its fields describe (starting
 * from their defaults and lists' least lines). The data is checked here with the engine the
 * server runs, then by the server; every problem is shown next to the value it names (the
 * rest in an antd `Alert`).
 */
export function NewOrderDialog({
  flowKey,
  onCreated,
  onCancel,
}: {
  flowKey: string;
  onCreated: (id: string) => void;
  onCancel: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [doc, setDoc] = useState<Flow>();
  const [data, setData] = useState<Data>({});
  const [reference, setReference] = useState('');
  const [problems, setProblems] = useState<DataProblem[]>([]);
  const [failure, setFailure] = useState<string>();
  const [sending, setSending] = useState(false);
  useEffect(() => {
    void api<{ latestVersion: number | null }>('GET', `/flows/${flowKey}`)
      .then((f) => {
        if (!f.latestVersion) throw new Error(t('workbench.notPublished'));
        return api<{ document: Flow }>('GET', `/flows/${flowKey}/versions/${f.latestVersion}`);
      })
      .then((v) => {
        setDoc(v.document);
        setData(defaultsOf(v.document.fields));
      })
      .catch((e) => setFailure((e as Error).message));
  }, [flowKey, t]);
  const compiled = useMemo(() => {
    try {
      return doc && compileFlow(doc);
    } catch {
      return undefined;
    }
  }, [doc]);

  const say = (code: string, field: Field) =>
    (WORDED as readonly string[]).includes(code)
      ? t(`workbench.problem.${code}`, {
          min: field.min ?? field.minLength ?? field.minItems,
          max: field.max ?? field.maxLength ?? field.maxItems,
          options: (field.options ?? [])
            .map((o) => (typeof o === 'string' ? o : labelIn(o.label, i18n.language, o.value)))
            .join(', '),
        })
      : undefined;
  const { byPath, rest } = problemsByPath(problems, doc?.fields ?? [], say);

  /** The engine's own check of the data, before anything is sent (rules needing data sets wait for the server). */
  const localProblems = (): DataProblem[] => {
    if (!compiled) return [];
    const tried = compiled.create(data, {
      now: new Date().toISOString(),
      actor: { id: 'new-order-form', roles: [] },
      id: crypto.randomUUID(),
    });
    return !tried.ok && tried.error.code === 'invalid_data' ? (tried.error.problems ?? []) : [];
  };

  async function submit() {
    if (sending) return;
    setFailure(undefined);
    const found = localProblems();
    setProblems(found);
    if (found.length) return;
    setSending(true);
    try {
      const created = await api<{ id: string }>('POST', '/orders', {
        flow: flowKey,
        data,
        ...(reference.trim() && { externalRef: reference.trim() }),
      });
      onCreated(created.id);
    } catch (e) {
      if (e instanceof ApiError && e.problem.errors?.length) setProblems(e.problem.errors);
      else setFailure((e as Error).message);
    } finally {
      setSending(false);
    }
  }

  return (
    <Modal
      wide
      title={t('workbench.newOrderOf', {
        flow: doc ? labelIn(doc.name, i18n.language, flowKey) : flowKey,
      })}
      submitLabel={t('workbench.createOrder')}
      cancelLabel={t('orders.cancel')}
      onSubmit={() => void submit()}
      onCancel={onCancel}
    >
      <Form component={false} layout="vertical">
        <Form.Item
          label={t('workbench.reference')}
          htmlFor="new-order-ref"
          validateStatus={byPath.externalRef ? 'error' : undefined}
          help={byPath.externalRef}
        >
          <Input
            id="new-order-ref"
            name="new-order-ref"
            value={reference}
            maxLength={200}
            onChange={(e) => setReference(e.target.value)}
          />
        </Form.Item>
      </Form>
      {doc && (
        <OrderForm
          fields={doc.fields}
          value={data}
          locale={i18n.language}
          onChange={(v) => (setData(v), setProblems([]))}
          errors={byPath}
        />
      )}
      {(rest.length > 0 || failure) && (
        <Alert
          type="error"
          showIcon
          data-testid="new-order-problems"
          title={
            <ul className="plain">
              {failure && <li>{failure}</li>}
              {rest.map((p, i) => (
                <li key={i}>
                  {p.path && p.path !== '/' ? `${p.path}: ` : ''}
                  {p.message}
                </li>
              ))}
            </ul>
          }
        />
      )}
    </Modal>
  );
}
