import type { InputKind } from '../../model/deploy-form';

/** One input of the deploy form, of the kind its schema asks for, with its refusal below. */
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
  return kind === 'boolean' ? (
    <label className="check">
      <input
        type="checkbox"
        name={name}
        checked={value === true}
        onChange={(e) => onChange(e.target.checked)}
      />
      {label}
      {error && <span className="error">{error}</span>}
    </label>
  ) : (
    <label>
      {label}
      {kind === 'choice' ? (
        <select
          name={name}
          value={String(value)}
          aria-invalid={invalid}
          onChange={(e) => onChange(e.target.value)}
        >
          {!choices.some((c) => c.value === value) && <option value="">—</option>}
          {choices.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      ) : kind === 'lines' || kind === 'json' ? (
        <textarea
          name={name}
          rows={2}
          value={String(value)}
          aria-invalid={invalid}
          onChange={(e) => onChange(e.target.value)}
        />
      ) : (
        <input
          name={name}
          type={secret ? 'password' : kind === 'number' ? 'number' : 'text'}
          autoComplete={secret ? 'new-password' : 'off'}
          placeholder={placeholder}
          value={String(value)}
          aria-invalid={invalid}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
      {error && <span className="error">{error}</span>}
    </label>
  );
}
