import type { Field } from '@ordo/engine';
import { labelIn } from '../model/flow-graph';

type Data = Record<string, unknown>;

const number = (text: string) => (text === '' ? undefined : Number(text));

/**
 * The order's data as the form its fields describe: objects as groups, lists (order lines) as
 * one group per item, each input typed by its field; read-only unless `onChange` is given.
 */
export function OrderForm({
  fields,
  value,
  locale,
  onChange,
  path = '',
}: {
  fields: readonly Field[];
  value: Data;
  locale: string;
  onChange?: (value: Data) => void;
  path?: string;
}) {
  const set = (key: string, v: unknown) => onChange?.({ ...value, [key]: v });
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
              <OrderForm
                fields={f.fields ?? []}
                value={(current as Data) ?? {}}
                locale={locale}
                onChange={onChange && ((v) => set(f.key, v))}
                path={`${name}.`}
              />
            </fieldset>
          );
        if (f.type === 'array') {
          const items = Array.isArray(current) ? (current as Data[]) : [];
          return (
            <fieldset key={f.key}>
              <legend>{label}</legend>
              {items.map((item, i) => (
                <OrderForm
                  key={i}
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
                />
              ))}
            </fieldset>
          );
        }
        const disabled = !onChange;
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
            <input name={name} disabled value={JSON.stringify(current ?? null)} readOnly />
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
          <label key={f.key}>
            {label}
            {input}
          </label>
        );
      })}
    </div>
  );
}
