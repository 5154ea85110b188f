import { useEffect, useState } from 'react';
import { majorText, minorUnits, type Money } from '../model/money';

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
  // The text as typed ("12." is on its way to 12.50), replaced only by a value that differs
  // from what it says (the order changed elsewhere).
  const [text, setText] = useState(majorText(props.value));
  const amount = props.value?.amount;
  useEffect(() => {
    setText((typed) => (minorUnits(typed, currency) === amount ? typed : majorText(props.value)));
  }, [amount, currency]);
  const emit = (amountText: string, code: string) => {
    setText(amountText);
    const next = minorUnits(amountText, code);
    if (next === undefined) props.onChange(undefined);
    else if (Number.isFinite(next)) props.onChange({ amount: next, currency: code });
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
