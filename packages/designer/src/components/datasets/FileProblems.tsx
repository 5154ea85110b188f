import { useTranslation } from 'react-i18next';
import { ListTable } from '../ListTable';
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
      <ListTable<ProblemError>
        data-testid="dataset-errors"
        size="small"
        rowKey={(e) => `${e.line}:${e.column}:${e.path}:${e.message}`}
        dataSource={errors}
        columns={[
          { key: 'line', title: t('datasets.line'), render: (_, e) => e.line ?? '' },
          {
            key: 'where',
            title: t('datasets.where'),
            render: (_, e) => e.column ?? (e.path === '/content' ? '' : e.path),
          },
          {
            key: 'why',
            title: t('datasets.why'),
            render: (_, e) => <span className="error-text">{ownMessage(e)}</span>,
          },
        ]}
      />
    </section>
  );
}
