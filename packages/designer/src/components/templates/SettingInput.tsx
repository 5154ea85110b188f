import { Checkbox, Form, Input, Select } from 'antd';
import type { InputKind } from '../../model/deploy-form';

/**
 * One input of the deploy form, of the kind its schema asks for (antd `Input`, `Select` —
 * `data-name`d —, `Input.TextArea` or `Checkbox`), labelled, with its refusal below it.
 */
export function SettingInput({
  name,
  label,
  kind,
  choices = [],
  value,
  error,
  secret,
  placeholder,
  onChange,
}: {
  name: string;
  label: string;
  kind: InputKind;
  choices?: { value: string; label: string }[];
  value: string | boolean;
  error?: string;
  secret?: boolean;
  placeholder?: string;
  onChange(value: string | boolean): void;
}) {
  const invalid = error ? true : undefined;
  const id = `setting-${name}`;
  const input =
    kind === 'boolean' ? (
      <Checkbox
        id={id}
        name={name}
        checked={value === true}
        onChange={(e) => onChange(e.target.checked)}
      >
        {label}
      </Checkbox>
    ) : kind === 'choice' ? (
      <Select
        id={id}
        data-name={name}
        value={choices.some((c) => c.value === value) ? String(value) : undefined}
        placeholder="—"
        status={error ? 'error' : undefined}
        onChange={(v: string) => onChange(v)}
        options={choices}
      />
    ) : kind === 'lines' || kind === 'json' ? (
      <Input.TextArea
        id={id}
        name={name}
        rows={2}
        value={String(value)}
        aria-invalid={invalid}
        onChange={(e) => onChange(e.target.value)}
      />
    ) : (
      <Input
        id={id}
        name={name}
        // A plain password input: antd's Password adds an eye button with an English label.
        type={secret ? 'password' : kind === 'number' ? 'number' : 'text'}
        autoComplete={secret ? 'new-password' : 'off'}
        placeholder={placeholder}
        value={String(value)}
        aria-invalid={invalid}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  return (
    <Form component={false} layout="vertical">
      <Form.Item
        className="setting-input"
        label={kind === 'boolean' ? undefined : label}
        htmlFor={id}
        validateStatus={error ? 'error' : undefined}
        help={error && <span className="error">{error}</span>}
      >
        {input}
      </Form.Item>
    </Form>
  );
}
