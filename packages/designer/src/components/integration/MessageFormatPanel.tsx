import type { DataSets, Flow, MessageReading } from '@ordo/engine';
import { Button, Input, Space } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { LineReading } from '../intake/LineReading';
import { parseFormat, previewDataSets, previewReading } from '../../model/message-preview';
import { ErrorAlert } from '../TextField';

/** How long typing pauses before the sample is read again. */
const DEBOUNCE_MS = 250;

const STARTER = { header: { 'Order no': 'externalRef' }, line: '{sku} x {qty}' };

/** A value as typed, waiting `ms` after the last change. */
function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** The rows of the data set the aliases read, as the reader's data sets (undefined: none or missing). */
function useAliasSets(name: string | undefined): { sets?: DataSets; missing: boolean } {
  const [found, setFound] = useState<{ sets?: DataSets; missing: boolean }>({ missing: false });
  useEffect(() => {
    if (!name) return setFound({ missing: false });
    let live = true;
    api<{ version: number; items: { key: string; values: Record<string, unknown> }[] }>(
      'GET',
      `/datasets/${encodeURIComponent(name)}/rows?limit=500`,
    )
      .then(
        (r) =>
          live && setFound({ sets: previewDataSets(name, r.version, r.items), missing: false }),
      )
      .catch(() => live && setFound({ missing: true }));
    return () => {
      live = false;
    };
  }, [name]);
  return found;
}

/** A panel of the flow editor's Integration tab, with the format's sample the editor keeps. */
export interface FlowPanelProps {
  doc: Flow;
  onChange(doc: Flow): void;
  sample: string;
  onSample(sample: string): void;
}

/**
 * The flow's message format (`intake.message`), edited as JSON, with a sample message read
 * live by the engine's own reader: the header fields by label, each line's parts (aliases and
 * units resolved), and the lines not understood, with why; a bad format shows its problems
 * at their paths. The text follows the document: a format changed elsewhere (the JSON tab,
 * undo) replaces it. The sample is the editor's (`sample`, `onSample`), so it outlives the tab.
 */
export function MessageFormatPanel({ doc, onChange, sample, onSample }: FlowPanelProps) {
  const { t } = useTranslation();
  const current = doc.intake?.message;
  const stored = current ? JSON.stringify(current, null, 2) : '';
  const [text, setText] = useState(stored);
  // Reset only when the stored format itself changes: an autosave gives the document new
  // objects, and must not throw away what someone is typing.
  useEffect(() => setText(stored), [stored]);
  const typed = useDebounced({ text, sample }, DEBOUNCE_MS);
  const parsed = useMemo(
    () => (typed.text.trim() ? parseFormat(doc, typed.text) : undefined),
    [doc, typed.text],
  );
  const format =
    parsed && 'format' in parsed && !parsed.problems.length ? parsed.format : undefined;
  const aliases = useAliasSets(format?.aliases?.dataSet);
  const reading: MessageReading | undefined = useMemo(
    () =>
      format && typed.sample.trim()
        ? previewReading(doc, format, typed.sample, aliases.sets)
        : undefined,
    [doc, format, typed.sample, aliases.sets],
  );

  const write = (message: unknown) => {
    const { message: _old, ...rest } = doc.intake ?? {};
    const intake = message === undefined ? rest : { ...rest, message };
    onChange({
      ...doc,
      intake: Object.keys(intake).length ? (intake as Flow['intake']) : undefined,
    });
  };
  /** Apply writes the text as it is now, not as it was when typing last paused. */
  const apply = () => {
    const now = text.trim() ? parseFormat(doc, text) : undefined;
    if (now && 'format' in now && !now.problems.length) write(now.format);
  };

  return (
    <section className="section format-preview" data-testid="message-format">
      <h3>{t('intake.preview.title')}</h3>
      <p className="muted">{t('intake.preview.help')}</p>
      {!text && !current ? (
        <Button type="primary" onClick={() => setText(JSON.stringify(STARTER, null, 2))}>
          {t('intake.preview.add')}
        </Button>
      ) : (
        <>
          <label>
            {t('intake.preview.format')}
            <Input.TextArea
              name="message-format"
              value={text}
              autoSize={{ minRows: 6 }}
              spellCheck={false}
              onChange={(e) => setText(e.target.value)}
            />
          </label>
          {parsed && 'error' in parsed && (
            <ErrorAlert message={t('intake.preview.badJson', { message: parsed.error })} />
          )}
          {parsed && 'problems' in parsed && parsed.problems.length > 0 && (
            <ul className="problems" data-testid="format-problems">
              {parsed.problems.map((p) => (
                <li key={`${p.path} ${p.message}`} className="error">
                  <code>{p.path}</code> {p.message}
                </li>
              ))}
            </ul>
          )}
          <Space wrap>
            <Button type="primary" disabled={!format} onClick={apply}>
              {t('intake.preview.apply')}
            </Button>
            {current && (
              <Button onClick={() => (write(undefined), setText(''))}>
                {t('intake.preview.remove')}
              </Button>
            )}
          </Space>
          <label>
            {t('intake.preview.sample')}
            <Input.TextArea
              name="sample-message"
              value={sample}
              autoSize={{ minRows: 4 }}
              placeholder={t('intake.preview.samplePlaceholder')}
              onChange={(e) => onSample(e.target.value)}
            />
          </label>
          {format?.aliases && (
            <p className="muted">
              {aliases.missing
                ? t('intake.preview.aliasesMissing', { dataSet: format.aliases.dataSet })
                : t('intake.preview.aliasesFrom', { dataSet: format.aliases.dataSet })}
            </p>
          )}
          {format && !reading && <p className="muted">{t('intake.preview.empty')}</p>}
          {reading && <ReadingView reading={reading} />}
        </>
      )}
    </section>
  );
}

/** What a sample gave: its lines as read, and the order data they make. */
function ReadingView({ reading }: { reading: MessageReading }) {
  const { t } = useTranslation();
  const data = reading.externalRef
    ? { externalRef: reading.externalRef, ...reading.data }
    : reading.data;
  return (
    <>
      <LineReading
        understood={reading.understood}
        notUnderstood={reading.notUnderstood}
        ignored={reading.ignored}
        testId="preview-reading"
      />
      <h4>{t('intake.preview.data')}</h4>
      <pre className="reply">{JSON.stringify(data, null, 2)}</pre>
    </>
  );
}
