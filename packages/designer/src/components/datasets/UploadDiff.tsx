import { useTranslation } from 'react-i18next';
import { cellText, type UploadAnswer } from './dataset-api';

type Values = Record<string, unknown> | undefined;

/** The cells of a changed row that differ, as `column: before → after`. */
function changes(before: Values, after: Values): string {
  const names = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  return names
    .filter((name) => JSON.stringify(before?.[name]) !== JSON.stringify(after?.[name]))
    .map((name) => `${name}: ${cellText(before?.[name])} → ${cellText(after?.[name])}`)
    .join('; ');
}

const cells = (values: Values) =>
  Object.entries(values ?? {})
    .map(([name, value]) => `${name}: ${cellText(value)}`)
    .join('; ');

/** How the file differs from the current version: the counts and some rows of each kind. */
export function UploadDiff({ diff, current }: { diff: UploadAnswer['diff']; current?: number }) {
  const { t } = useTranslation();
  return (
    <section data-testid="dataset-diff">
      <h3>
        {current === undefined
          ? t('datasets.firstVersion')
          : t('datasets.against', { version: current })}
      </h3>
      <p data-testid="dataset-diff-counts">{t('datasets.counts', diff)}</p>
      {diff.samples.length > 0 && (
        <table>
          <tbody>
            {diff.samples.map((s) => (
              <tr key={`${s.change}:${s.key}`} className={`change-${s.change}`}>
                <td>{t(`datasets.change.${s.change}`)}</td>
                <td className="mono">{s.key}</td>
                <td className="mono">
                  {s.change === 'changed'
                    ? changes(s.before, s.after)
                    : cells(s.change === 'added' ? s.after : s.before)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
