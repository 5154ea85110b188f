import type { Field } from '@ordo/engine';
import { Button, Card, Checkbox, DatePicker, Form, Input, InputNumber, Select } from 'antd';
import dayjs from 'dayjs';
import { type ReactNode, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { labelIn } from '../model/flow-graph';
import type { FieldAccess } from '../model/ownership';
import { MoneyInput } from './MoneyInput';

type Data = Record<string, unknown>;

/**
 * The data a new order starts with: each field's default, each object's fields' defaults, and
 * a list's least number of items (each with its items' defaults).
 */
export function defaultsOf(fields: readonly Field[]): Data {
  const data: Data = {};
  for (const f of fields) {
    if (f.default !== undefined) data[f.key] = structuredClone(f.default);
    else if (f.type === 'object') {
      const inner = defaultsOf(f.fields ?? []);
      if (Object.keys(inner).length) data[f.key] = inner;
    } else if (f.type === 'array' && (f.minItems ?? 0) > 0)
      data[f.key] = Array.from({ length: f.minItems! }, () => defaultsOf(f.items ?? []));
  }
  return data;
}

/** A date field's value (`YYYY-MM-DD`) as the picker's day, none when it is not one. */
const dayOf = (value: unknown) => {
  const day = typeof value === 'string' && value !== '' ? dayjs(value) : undefined;
  return day?.isValid() ? day : null;
};

/**
 * The order's data as the form its fields describe (on antd: a `Form.Item` per value, labelled
 * for its control): objects as cards, lists (order lines) as one card per item that can be
 * added and removed within the field's bounds, each input typed by its field (money in major
 * units with its currency, dates with a picker, options with a select, a yes/no as a checkbox);
 * read-only unless `onChange` is given. With `access`, a value the signed-in person may not
 * write (field ownership) stays disabled, its tooltip saying who may. With `errors` (by dot
 * path, `lines.1.qty`), each problem is shown next to the value it names, and a list's or
 * group's own problem under its title. Every control keeps its dot path as its `name`
 * (`data-name` on a select).
 */
export function OrderForm(props: {
  fields: readonly Field[];
  value: Data;
  locale: string;
  onChange?: (value: Data) => void;
  path?: string;
  /** Whether the person may write a dot path (`lines.0.bin`), and if not who may. */
  access?: (path: string) => FieldAccess;
  /** Problems by the dot path of the value they name. */
  errors?: Readonly<Record<string, string>>;
}) {
  // One vertical form layout for the whole tree, drawn without a <form> of its own (the
  // new-order dialog is one already).
  return props.path ? (
    <Values {...props} />
  ) : (
    <Form component={false} layout="vertical">
      <Values {...props} />
    </Form>
  );
}

function Values({
  fields,
  value,
  locale,
  onChange,
  path = '',
  access,
  errors,
}: Parameters<typeof OrderForm>[0]) {
  const { t } = useTranslation();
  const ids = useId();
  const whoMay = (a: FieldAccess) =>
    !a.who
      ? undefined
      : 'system' in a.who
        ? t('orders.systemOnly')
        : t('orders.writableBy', { roles: [...a.who.roles, 'admin'].join(', ') });
  const set = (key: string, v: unknown) => onChange?.({ ...value, [key]: v });
  const problem = (name: string) =>
    errors?.[name] && (
      <span className="field-error" role="alert" data-path={name}>
        {errors[name]}
      </span>
    );
  const group = (key: string, label: string, name: string, children: ReactNode) => (
    <Card
      key={key}
      size="small"
      className="order-group"
      role="group"
      aria-label={label}
      title={label}
    >
      {problem(name)}
      {children}
    </Card>
  );
  return (
    <div className="form-preview order-form">
      {fields.map((f) => {
        const label = `${labelIn(f.label, locale, f.key)}${f.required ? ' *' : ''}`;
        const name = `${path}${f.key}`;
        const current = value[f.key];
        if (f.type === 'object')
          return group(
            f.key,
            label,
            name,
            <OrderForm
              fields={f.fields ?? []}
              value={(current as Data) ?? {}}
              locale={locale}
              onChange={onChange && ((v) => set(f.key, v))}
              path={`${name}.`}
              access={access}
              errors={errors}
            />,
          );
        if (f.type === 'array') {
          const items = Array.isArray(current) ? (current as Data[]) : [];
          return group(
            f.key,
            label,
            name,
            <>
              {items.map((item, i) => (
                <div key={i} className="order-line">
                  <OrderForm
                    fields={f.items ?? []}
                    value={item ?? {}}
                    locale={locale}
                    onChange={
                      onChange &&
                      ((v) =>
                        set(
                          f.key,
                          items.map((x, j) => (j === i ? v : x)),
                        ))
                    }
                    path={`${name}.${i}.`}
                    access={access}
                    errors={errors}
                  />
                  {onChange && (
                    <Button
                      size="small"
                      name={`${name}.${i}.remove`}
                      disabled={items.length <= (f.minItems ?? 0)}
                      onClick={() =>
                        set(
                          f.key,
                          items.filter((_, j) => j !== i),
                        )
                      }
                    >
                      {t('orders.removeLine', { n: i + 1, list: label })}
                    </Button>
                  )}
                </div>
              ))}
              {onChange && (
                <Button
                  size="small"
                  type="dashed"
                  name={`${name}.add`}
                  disabled={f.maxItems !== undefined && items.length >= f.maxItems}
                  onClick={() => set(f.key, [...items, defaultsOf(f.items ?? [])])}
                >
                  {t('orders.addLine')}
                </Button>
              )}
            </>,
          );
        }
        const allowed = access?.(name) ?? { writable: true };
        const disabled = !onChange || !allowed.writable;
        const title = onChange && !allowed.writable ? whoMay(allowed) : undefined;
        const id = `${ids}-${f.key}`;
        const text = current === undefined || current === null ? '' : String(current);
        const input =
          f.type === 'boolean' ? (
            <Checkbox
              id={id}
              name={name}
              disabled={disabled}
              checked={current === true}
              onChange={(e) => set(f.key, e.target.checked)}
            />
          ) : f.type === 'enum' ? (
            <Select
              id={id}
              data-name={name}
              disabled={disabled}
              allowClear
              value={current === undefined || current === null ? undefined : String(current)}
              onChange={(v?: string) => set(f.key, v || undefined)}
              options={(f.options ?? []).map((o) =>
                typeof o === 'string'
                  ? { value: o, label: o }
                  : { value: o.value, label: labelIn(o.label, locale, o.value) },
              )}
            />
          ) : f.type === 'number' || f.type === 'integer' ? (
            <InputNumber
              id={id}
              name={name}
              disabled={disabled}
              className="full-width"
              // No step buttons: antd labels them in English only ("Increase Value"); the
              // arrow keys still step.
              controls={false}
              value={typeof current === 'number' ? current : null}
              onChange={(v) => set(f.key, v ?? undefined)}
            />
          ) : f.type === 'money' ? (
            <MoneyInput
              id={id}
              name={name}
              disabled={disabled}
              currencies={f.currencies}
              value={current as { amount: number; currency: string } | undefined}
              onChange={(v) => set(f.key, v)}
            />
          ) : f.type === 'date' ? (
            <DatePicker
              id={id}
              name={name}
              disabled={disabled}
              className="full-width"
              value={dayOf(current)}
              onChange={(day) => set(f.key, day ? day.format('YYYY-MM-DD') : undefined)}
            />
          ) : (
            <Input
              id={id}
              name={name}
              disabled={disabled}
              value={text}
              onChange={(e) => set(f.key, e.target.value === '' ? undefined : e.target.value)}
            />
          );
        return (
          <div
            key={f.key}
            className="order-value"
            title={title}
            data-owned={allowed.writable ? undefined : 'true'}
            data-invalid={errors?.[name] ? 'true' : undefined}
          >
            <Form.Item
              label={label}
              htmlFor={id}
              validateStatus={errors?.[name] ? 'error' : undefined}
              help={problem(name)}
            >
              {input}
            </Form.Item>
          </div>
        );
      })}
    </div>
  );
}
