import { useTranslation } from 'react-i18next';
import type { ProblemError } from '../../api';

/** The message without the `line 3, column qty: ` the table shows in its own cells. */
function ownMessage(e: ProblemError): string {
  const where = [
    e.line !== undefined && `line ${e.line}`,
    e.column !== undefined && `column ${e.column}`,
  ].filter(Boolean);
  const prefix = `${where.join(', ')}: `;
  return where.length && e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
}

/** Every error of a refused file, by line and column (a problem off the file shows its path). */
export function FileProblems({ errors }: { errors: ProblemError[] }) {
  const { t } = useTranslation();
  return (
    <section>
      <h3 className="error">{t('datasets.errors')}</h3>
      <table data-testid="dataset-errors">
        <thead>
          <tr>
            <th>{t('datasets.line')}</th>
            <th>{t('datasets.where')}</th>
            <th>{t('datasets.why')}</th>
          </tr>
        </thead>
        <tbody>
          {errors.map((e, i) => (
            <tr key={i}>
              <td>{e.line ?? ''}</td>
              <td>{e.column ?? (e.path === '/content' ? '' : e.path)}</td>
              <td className="error-text">{ownMessage(e)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
