import type { MisreadLine, UnderstoodLine } from '@ordo/engine';
import { useTranslation } from 'react-i18next';

/**
 * Why a line was not understood, in the person's language: the engine's own message in
 * English (it names the labels, the pattern, the unit), a text by its code otherwise — with
 * the engine's detail kept, as data, where the code alone says too little.
 */
export function MisreadWhy({ code, message }: { code: string; message: string }) {
  const { t, i18n } = useTranslation();
  if (i18n.language === 'en') return <span className="error">{message}</span>;
  const text = t(`intake.misread.${code}`, { defaultValue: '' });
  if (!text) return <code className="error">{message}</code>;
  return (
    <span className="error">
      {text}
      {code === 'bad_value' && (
        <>
          {' '}
          <code>{message}</code>
        </>
      )}
    </span>
  );
}

/** A message's lines as the format read them: understood (with parts), not understood, left out. */
export function LineReading(props: {
  understood: readonly UnderstoodLine[];
  notUnderstood: readonly MisreadLine[];
  ignored: readonly number[];
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <div className="reading" data-testid={props.testId}>
      <h4>{t('intake.understood')}</h4>
      <ol className="lines">
        {props.understood.map((u) => (
          <li key={u.line} value={u.line} className="understood" data-as={u.as}>
            <code>{u.text}</code>{' '}
            <span className="muted">
              {u.as === 'header' ? (
                <>
                  {t('intake.header')} → <code>{`${u.path} = ${JSON.stringify(u.value)}`}</code>
                </>
              ) : (
                <>
                  {t('intake.preview.parts')}:{' '}
                  {Object.entries(u.values ?? {}).map(([k, v], i) => (
                    <span key={k}>
                      {i > 0 && ', '}
                      <code>{`${k} = ${JSON.stringify(v)}`}</code>
                    </span>
                  ))}
                </>
              )}
            </span>
          </li>
        ))}
      </ol>
      {props.notUnderstood.length > 0 && (
        <>
          <h4>{t('intake.notUnderstood')}</h4>
          <ol className="lines">
            {props.notUnderstood.map((m) => (
              <li
                key={`${m.line}-${m.code}`}
                value={m.line || undefined}
                className="not-understood"
              >
                <code>{m.text}</code> <MisreadWhy code={m.code} message={m.message} />
              </li>
            ))}
          </ol>
        </>
      )}
      {props.ignored.length > 0 && (
        <p className="muted">{t('intake.ignored', { lines: props.ignored.join(', ') })}</p>
      )}
    </div>
  );
}
