import { useEffect, useId, useRef, type FormEvent, type ReactNode } from 'react';

/**
 * A modal dialog in place of the browser's prompt/confirm: focus moves in and stays in (Tab
 * cycles), Esc cancels, Enter submits the form; the caller shows validation inline.
 */
export function Modal({
  title,
  children,
  submitLabel,
  cancelLabel,
  onSubmit,
  onCancel,
  wide,
}: {
  /** Room for a form (the new order) rather than a question. */
  wide?: boolean;
  title: string;
  children: ReactNode;
  submitLabel: string;
  cancelLabel: string;
  onSubmit: () => void;
  onCancel: () => void;
}) {
  const titleId = useId();
  const box = useRef<HTMLFormElement>(null);
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const first = box.current?.querySelector<HTMLElement>('input, textarea, select, button');
    first?.focus();
    return () => before?.focus();
  }, []);
  const keep = (e: React.KeyboardEvent) => {
    if (e.key === 'Escape') return void (e.preventDefault(), onCancel());
    if (e.key !== 'Tab' || !box.current) return;
    const items = [
      ...box.current.querySelectorAll<HTMLElement>('input, textarea, select, button'),
    ].filter((el) => !el.hasAttribute('disabled'));
    const [first, last] = [items[0], items[items.length - 1]];
    const wrapTo = e.shiftKey
      ? document.activeElement === first && last
      : document.activeElement === last && first;
    if (wrapTo) {
      e.preventDefault();
      wrapTo.focus();
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit();
  };
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onCancel()}>
      <form
        ref={box}
        className={`modal form${wide ? ' wide' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        onKeyDown={keep}
        onSubmit={submit}
      >
        <h2 id={titleId}>{title}</h2>
        {children}
        <div className="modal-actions">
          <button type="button" className="ghost" onClick={onCancel}>
            {cancelLabel}
          </button>
          <button type="submit">{submitLabel}</button>
        </div>
      </form>
    </div>
  );
}
