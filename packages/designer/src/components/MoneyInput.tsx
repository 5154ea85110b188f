import { Input, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { majorText, type Money, moneyOf } from '../model/money';
import { useTyped } from './use-typed';

/**
 * A money value (`{ amount, currency }`, the amount in minor units) edited as a person writes
 * it: the amount in major units (12.50), and the currency from the field's list (a select,
 * `data-name` `<name>.currency`) or typed — one compact antd group, the amount labelled by `id`.
 */
export function MoneyInput(props: {
  id?: string;
  name: string;
  disabled: boolean;
  currencies?: readonly string[];
  value: Money | undefined;
  onChange(value: Money | undefined): void;
}) {
  const { t } = useTranslation();
  const currency = props.value?.currency ?? props.currencies?.[0] ?? 'CNY';
  const [text, setText] = useTyped(props.value, majorText, (typed) => moneyOf(typed, currency));
  const emit = (amountText: string, code: string) => {
    setText(amountText);
    const next = moneyOf(amountText, code);
    if (next === undefined || Number.isFinite(next.amount)) props.onChange(next);
  };
  return (
    <Space.Compact className="money">
      <Input
        id={props.id}
        name={`${props.name}.amount`}
        inputMode="decimal"
        disabled={props.disabled}
        value={text}
        onChange={(e) => emit(e.target.value, currency)}
      />
      {props.currencies ? (
        <Select
          data-name={`${props.name}.currency`}
          className="money-currency"
          aria-label={t('orders.currency')}
          disabled={props.disabled}
          value={currency}
          onChange={(code: string) => emit(text, code)}
          options={props.currencies.map((c) => ({ value: c, label: c }))}
        />
      ) : (
        <Input
          name={`${props.name}.currency`}
          className="money-currency"
          aria-label={t('orders.currency')}
          maxLength={3}
          disabled={props.disabled}
          value={currency}
          onChange={(e) => emit(text, e.target.value.toUpperCase())}
        />
      )}
    </Space.Compact>
  );
}
