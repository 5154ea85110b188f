import { useTranslation } from 'react-i18next';
import type { ProblemError } from '../../api';

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
              <td className="error-text">{e.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
