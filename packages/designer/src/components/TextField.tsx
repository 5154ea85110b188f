import { Alert, Button, Form, Input, Select, Space } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { moveItem } from '../model/action-edits';

/** The id a field's label points at (its control's `name`: unique within a panel). */
export const fieldId = (name: string) => `field-${name}`;

/**
 * A labelled field of the editor's panels: antd's Form.Item, the label above its control and
 * pointing at it (`htmlFor`: the control's accessible name; a click on it focuses the control),
 * a hint under it and an error in red, announced (`role=alert`).
 */
export function Field(props: {
  label: ReactNode;
  /** The control's id (`fieldId(name)`). */
  htmlFor?: string;
  hint?: ReactNode;
  error?: string;
  className?: string;
  title?: string;
  children: ReactNode;
}) {
  return (
    <Form.Item
      layout="vertical"
      className={['field', props.className].filter(Boolean).join(' ')}
      label={props.label}
      htmlFor={props.htmlFor}
      tooltip={props.title}
      extra={props.hint}
      help={props.error && <span role="alert">{props.error}</span>}
      validateStatus={props.error ? 'error' : undefined}
    >
      {props.children}
    </Form.Item>
  );
}

/** What went wrong, in red and announced (`role=alert`). */
export function ErrorAlert({ message, testId }: { message: string; testId?: string }) {
  return <Alert className="error" type="error" showIcon data-testid={testId} title={message} />;
}

/** A labelled one-line text input. */
export function TextField(props: {
  name: string;
  label: string;
  value: string | undefined;
  onChange(value: string): void;
  placeholder?: string;
  /** The id of a datalist whose values are offered. */
  list?: string;
}) {
  return (
    <Field label={props.label} htmlFor={fieldId(props.name)}>
      <Input
        id={fieldId(props.name)}
        name={props.name}
        list={props.list}
        placeholder={props.placeholder}
        value={props.value ?? ''}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </Field>
  );
}

/**
 * A choice among a few values, as antd's Select: `name` is its test id (antd's Select has no
 * form name), the label (when given) points at it, or `aria-label` names it.
 */
export function SelectField<V extends string | number>(props: {
  name: string;
  label?: string;
  ariaLabel?: string;
  value: V | undefined;
  options: { value: V; label: ReactNode }[];
  onChange(value: V): void;
  disabled?: boolean;
  className?: string;
  placeholder?: string;
}) {
  const select = (
    <Select<V>
      id={fieldId(props.name)}
      data-testid={props.name}
      aria-label={props.ariaLabel}
      className={props.className}
      popupMatchSelectWidth={false}
      disabled={props.disabled}
      placeholder={props.placeholder}
      value={props.value}
      options={props.options}
      onChange={props.onChange}
    />
  );
  return props.label ? (
    <Field label={props.label} htmlFor={fieldId(props.name)}>
      {select}
    </Field>
  ) : (
    select
  );
}

/** Move up, move down and remove, for item `i` of an ordered list. */
export function ItemButtons<T>(props: {
  name: string;
  list: readonly T[];
  i: number;
  onChange(list: T[]): void;
}) {
  const { t } = useTranslation();
  const { list, i } = props;
  return (
    <Space wrap size={4} className="item-buttons">
      <Button size="small" onClick={() => props.onChange(moveItem(list, i, -1))}>
        {t('fields.up')}
      </Button>
      <Button size="small" onClick={() => props.onChange(moveItem(list, i, 1))}>
        {t('fields.down')}
      </Button>
      <Button
        size="small"
        danger
        name={`${props.name}.remove`}
        onClick={() => props.onChange(list.filter((_, j) => j !== i))}
      >
        {t('fields.remove')}
      </Button>
    </Space>
  );
}
