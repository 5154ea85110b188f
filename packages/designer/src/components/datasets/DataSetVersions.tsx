import { Button, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { ListTable } from '../ListTable';
import type { DataSetVersion } from './dataset-api';
import { useByWhom } from './use-who';

/** A set's versions, newest first; choosing one shows its rows. */
export function DataSetVersions({
  versions,
  current,
  viewing,
  onView,
}: {
  versions: DataSetVersion[];
  current: number;
  viewing: number;
  onView(version: number): void;
}) {
  const { t } = useTranslation();
  const byWhom = useByWhom();
  return (
    <ListTable<DataSetVersion>
      className="dataset-versions"
      data-testid="dataset-versions"
      size="small"
      rowKey="version"
      onRow={(v) => ({ 'data-testid': `dataset-version-${v.version}` }) as object}
      dataSource={versions}
      columns={[
        {
          key: 'version',
          title: t('datasets.version'),
          render: (_, v) => (
            <>
              v{v.version}{' '}
              {v.version === current && <Tag color="success">{t('datasets.current')}</Tag>}
            </>
          ),
        },
        { key: 'rows', title: t('datasets.rows'), dataIndex: 'rows' },
        {
          key: 'made',
          title: t('datasets.made'),
          render: (_, v) => byWhom(v.createdAt, v.createdBy),
        },
        {
          key: 'source',
          title: t('datasets.source'),
          className: 'mono',
          render: (_, v) => v.source ?? '',
        },
        {
          key: 'view',
          render: (_, v) => (
            <Button
              size="small"
              aria-pressed={v.version === viewing}
              disabled={v.version === viewing}
              onClick={() => onView(v.version)}
            >
              {t('datasets.view')}
            </Button>
          ),
        },
      ]}
    />
  );
}
