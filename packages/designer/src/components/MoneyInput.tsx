import { majorText, type Money, moneyOf } from '../model/money';
import { useTyped } from './use-typed';

/**
 * A money value (`{ amount, currency }`, the amount in minor units) edited as a person writes
 * it: the amount in major units (12.50), and the currency from the field's list or typed.
 */
export function MoneyInput(props: {
  name: string;
  disabled: boolean;
  currencies?: readonly string[];
  value: Money | undefined;
  onChange(value: Money | undefined): void;
}) {
  const currency = props.value?.currency ?? props.currencies?.[0] ?? 'CNY';
  const [text, setText] = useTyped(props.value, majorText, (typed) => moneyOf(typed, currency));
  const emit = (amountText: string, code: string) => {
    setText(amountText);
    const next = moneyOf(amountText, code);
    if (next === undefined || Number.isFinite(next.amount)) props.onChange(next);
  };
  return (
    <span className="inline money">
      <input
        name={`${props.name}.amount`}
        inputMode="decimal"
        disabled={props.disabled}
        value={text}
        onChange={(e) => emit(e.target.value, currency)}
      />
      {props.currencies ? (
        <select
          name={`${props.name}.currency`}
          disabled={props.disabled}
          value={currency}
          onChange={(e) => emit(text, e.target.value)}
        >
          {props.currencies.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
      ) : (
        <input
          name={`${props.name}.currency`}
          size={4}
          maxLength={3}
          disabled={props.disabled}
          value={currency}
          onChange={(e) => emit(text, e.target.value.toUpperCase())}
        />
      )}
    </span>
  );
}
