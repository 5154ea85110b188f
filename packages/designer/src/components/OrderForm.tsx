import type { Field } from '@ordo/engine';
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

const number = (text: string) => (text === '' ? undefined : Number(text));

/**
 * The order's data as the form its fields describe: objects as groups, lists (order lines) as
 * one group per item that can be added and removed within the field's bounds, each input typed
 * by its field (money in major units with its currency); read-only unless `onChange` is given.
 * With `access`, a value the signed-in person may not write (field ownership) stays disabled,
 * its tooltip saying who may. With `errors` (by dot path, `lines.1.qty`), each problem is shown
 * next to the value it names, and a list's or group's own problem under its title.
 */
export function OrderForm({
  fields,
  value,
  locale,
  onChange,
  path = '',
  access,
  errors,
}: {
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
  const { t } = useTranslation();
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
  return (
    <div className="form-preview order-form">
      {fields.map((f) => {
        const label = `${labelIn(f.label, locale, f.key)}${f.required ? ' *' : ''}`;
        const name = `${path}${f.key}`;
        const current = value[f.key];
        if (f.type === 'object')
          return (
            <fieldset key={f.key}>
              <legend>{label}</legend>
              {problem(name)}
              <OrderForm
                fields={f.fields ?? []}
                value={(current as Data) ?? {}}
                locale={locale}
                onChange={onChange && ((v) => set(f.key, v))}
                path={`${name}.`}
                access={access}
                errors={errors}
              />
            </fieldset>
          );
        if (f.type === 'array') {
          const items = Array.isArray(current) ? (current as Data[]) : [];
          return (
            <fieldset key={f.key}>
              <legend>{label}</legend>
              {problem(name)}
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
                    <button
                      type="button"
                      className="ghost"
                      name={`${name}.${i}.remove`}
                      disabled={items.length <= (f.minItems ?? 0)}
                      aria-label={t('orders.removeLine', { n: i + 1, list: label })}
                      onClick={() =>
                        set(
                          f.key,
                          items.filter((_, j) => j !== i),
                        )
                      }
                    >
                      {t('orders.removeLine', { n: i + 1, list: label })}
                    </button>
                  )}
                </div>
              ))}
              {onChange && (
                <button
                  type="button"
                  className="ghost"
                  name={`${name}.add`}
                  disabled={f.maxItems !== undefined && items.length >= f.maxItems}
                  onClick={() => set(f.key, [...items, defaultsOf(f.items ?? [])])}
                >
                  {t('orders.addLine')}
                </button>
              )}
            </fieldset>
          );
        }
        const allowed = access?.(name) ?? { writable: true };
        const disabled = !onChange || !allowed.writable;
        const title = onChange && !allowed.writable ? whoMay(allowed) : undefined;
        const input =
          f.type === 'boolean' ? (
            <input
              name={name}
              type="checkbox"
              disabled={disabled}
              checked={current === true}
              onChange={(e) => set(f.key, e.target.checked)}
            />
          ) : f.type === 'enum' ? (
            <select
              name={name}
              disabled={disabled}
              value={String(current ?? '')}
              onChange={(e) => set(f.key, e.target.value || undefined)}
            >
              <option value="" />
              {(f.options ?? []).map((o) => {
                const v = typeof o === 'string' ? o : o.value;
                return (
                  <option key={v} value={v}>
                    {typeof o === 'string' ? o : labelIn(o.label, locale, o.value)}
                  </option>
                );
              })}
            </select>
          ) : f.type === 'number' || f.type === 'integer' ? (
            <input
              name={name}
              type="number"
              disabled={disabled}
              value={current === undefined || current === null ? '' : String(current)}
              onChange={(e) => set(f.key, number(e.target.value))}
            />
          ) : f.type === 'money' ? (
            <MoneyInput
              name={name}
              disabled={disabled}
              currencies={f.currencies}
              value={current as { amount: number; currency: string } | undefined}
              onChange={(v) => set(f.key, v)}
            />
          ) : (
            <input
              name={name}
              type={f.type === 'date' ? 'date' : 'text'}
              disabled={disabled}
              value={current === undefined || current === null ? '' : String(current)}
              onChange={(e) => set(f.key, e.target.value === '' ? undefined : e.target.value)}
            />
          );
        return (
          <label
            key={f.key}
            title={title}
            data-owned={allowed.writable ? undefined : 'true'}
            data-invalid={errors?.[name] ? 'true' : undefined}
          >
            {label}
            {input}
            {problem(name)}
          </label>
        );
      })}
    </div>
  );
}
