import { Input } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from './TextField';

const text = (logic: unknown) => JSON.stringify(logic, null, 2) ?? '';

/**
 * A clause the builder has no row for, as editable json-logic. Only valid JSON is written
 * back; while the text is not, the clause keeps its last valid value and says why.
 */
export function RawClause({
  logic,
  onChange,
  children,
}: {
  logic: unknown;
  onChange: (logic: unknown) => void;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(() => text(logic));
  const [error, setError] = useState<string>();
  useEffect(() => {
    // A change from elsewhere: show it, unless it is what the draft already says.
    if (!sameLogic(draft, logic)) {
      setDraft(text(logic));
      setError(undefined);
    }
  }, [text(logic)]);
  return (
    <div className="rule rule-raw">
      <label>
        <span className="muted">{t('builder.raw')}</span>
        <Input.TextArea
          className="rule-raw-text"
          spellCheck={false}
          rows={Math.min(8, draft.split('\n').length)}
          value={draft}
          aria-invalid={error ? true : undefined}
          onChange={(e) => {
            setDraft(e.target.value);
            try {
              onChange(JSON.parse(e.target.value));
              setError(undefined);
            } catch (err) {
              setError(t('builder.rawInvalid', { message: (err as Error).message }));
            }
          }}
        />
      </label>
      {children}
      {error && <ErrorAlert message={error} />}
    </div>
  );
}

function sameLogic(draft: string, logic: unknown): boolean {
  try {
    return JSON.stringify(JSON.parse(draft)) === JSON.stringify(logic);
  } catch {
    return false;
  }
}
