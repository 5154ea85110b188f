import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { ListTable } from '../ListTable';
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

type Sample = UploadAnswer['diff']['samples'][number];

const CHANGE_COLOURS: Record<string, string> = {
  added: 'success',
  changed: 'processing',
  removed: 'error',
};

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
        <ListTable<Sample>
          size="small"
          showHeader={false}
          rowKey={(s) => `${s.change}:${s.key}`}
          rowClassName={(s) => `change-${s.change}`}
          dataSource={diff.samples}
          columns={[
            {
              key: 'change',
              render: (_, s) => (
                <Tag color={CHANGE_COLOURS[s.change]}>{t(`datasets.change.${s.change}`)}</Tag>
              ),
            },
            { key: 'key', className: 'mono', render: (_, s) => s.key },
            {
              key: 'cells',
              className: 'mono',
              render: (_, s) =>
                s.change === 'changed'
                  ? changes(s.before, s.after)
                  : cells(s.change === 'added' ? s.after : s.before),
            },
          ]}
        />
      )}
    </section>
  );
}
