import { Modal as AntModal, Button } from 'antd';
import { useEffect, useRef, type FormEvent, type ReactNode } from 'react';

/**
 * A modal dialog in place of the browser's prompt/confirm, on Ant Design's: focus moves to the
 * first field and stays in (Tab cycles), Esc cancels, Enter submits the form (the whole dialog
 * is one form, its footer buttons included); the caller shows validation inline.
 */
export function Modal({
  title,
  children,
  submitLabel,
  cancelLabel,
  onSubmit,
  onCancel,
  wide,
  danger,
  busy,
}: {
  /** Room for a form (the new order) rather than a question. */
  wide?: boolean;
  /** The submit button destroys something (a deletion). */
  danger?: boolean;
  /** The submit is under way (its button spins and does not submit again). */
  busy?: boolean;
  title: string;
  children: ReactNode;
  submitLabel: string;
  cancelLabel: string;
  onSubmit: () => void;
  onCancel: () => void;
}) {
  const box = useRef<HTMLFormElement>(null);
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    // The dialog draws in a portal after this render: focus its first field once it is there.
    const timer = setTimeout(() => {
      const form = box.current;
      const first = form?.querySelector<HTMLElement>(
        '.ant-modal-body :is(input, textarea, select, button):not([disabled])',
      );
      (first ?? form?.querySelector<HTMLElement>('button[type=submit]'))?.focus();
    });
    return () => (clearTimeout(timer), before?.focus());
  }, []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    e.stopPropagation();
    if (!busy) onSubmit();
  };
  return (
    <AntModal
      open
      centered
      title={title}
      width={wide ? 760 : 480}
      onCancel={onCancel}
      keyboard
      focusable={{ trap: true, focusTriggerAfterClose: false }}
      modalRender={(node) => (
        <form ref={box} className="modal-form" onSubmit={submit}>
          {node}
        </form>
      )}
      footer={
        <>
          <Button onClick={onCancel}>{cancelLabel}</Button>
          <Button type="primary" danger={danger} htmlType="submit" loading={busy}>
            {submitLabel}
          </Button>
        </>
      }
    >
      <div className="form modal-body">{children}</div>
    </AntModal>
  );
}
