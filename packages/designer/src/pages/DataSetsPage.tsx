import { Alert, Button, Tag, Typography } from 'antd';
import { type HTMLAttributes, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentUser } from '../api';
import { type DataSet, dataSetsApi } from '../components/datasets/dataset-api';
import { DataSetDetail } from '../components/datasets/DataSetDetail';
import { ListTable } from '../components/ListTable';
import { UploadPanel } from '../components/datasets/UploadPanel';
import { useByWhom } from '../components/datasets/use-who';
import i18n from '../i18n';
import { labelIn } from '../model/flow-graph';
import { messageOf } from './integrations/message-of';

/** Who may upload and delete (the server refuses everyone else). */
const EDITORS = ['designer', 'admin'];

/**
 * Data sets (`#/datasets`): the reference tables rules read with `lookup`; `#/datasets/<key>`
 * opens one. Designers and admins upload new versions and delete; everyone else reads.
 */
export function DataSetsPage({ route }: { route: string }) {
  const [canEdit, setCanEdit] = useState(false);
  useEffect(() => {
    void currentUser()
      .then((me) => setCanEdit(me.roles.some((role) => EDITORS.includes(role))))
      .catch(() => setCanEdit(false));
  }, []);
  const opened = /^\/datasets\/([a-z0-9-]+)/.exec(route)?.[1];
  return (
    <main className="page datasets">
      {opened ? (
        <DataSetDetail key={opened} setKey={opened} canEdit={canEdit} />
      ) : (
        <DataSetList canEdit={canEdit} />
      )}
    </main>
  );
}

function DataSetList({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation();
  const byWhom = useByWhom();
  const [sets, setSets] = useState<DataSet[]>();
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string>();
  useEffect(() => {
    dataSetsApi
      .list()
      .then(setSets)
      .catch((e) => setError(messageOf(e)));
  }, []);
  return (
    <>
      <div className="page-head">
        <Typography.Title level={1}>{t('datasets.title')}</Typography.Title>
        {canEdit && !creating && (
          <Button type="primary" onClick={() => setCreating(true)}>
            {t('datasets.new')}
          </Button>
        )}
      </div>
      <Typography.Paragraph type="secondary">{t('datasets.intro')}</Typography.Paragraph>
      {error && <Alert className="error" type="error" showIcon title={error} />}
      {creating && (
        <UploadPanel
          onWritten={(answer) => (window.location.hash = `#/datasets/${answer.dataset.key}`)}
          onCancel={() => setCreating(false)}
        />
      )}
      {sets && (
        <ListTable<DataSet>
          data-testid="datasets"
          rowKey="key"
          empty={t('datasets.none')}
          dataSource={sets}
          onRow={(s) => ({ 'data-testid': `dataset-${s.key}` }) as HTMLAttributes<HTMLElement>}
          columns={[
            {
              key: 'key',
              title: t('datasets.key'),
              className: 'mono',
              render: (_, s) => <a href={`#/datasets/${s.key}`}>{s.key}</a>,
            },
            {
              key: 'title',
              title: t('datasets.name'),
              render: (_, s) => labelIn(s.title, i18n.language, s.key),
            },
            {
              key: 'version',
              title: t('datasets.version'),
              width: 90,
              render: (_, s) => <Tag>v{s.version}</Tag>,
            },
            { key: 'rows', title: t('datasets.rows'), dataIndex: 'rows', width: 90 },
            {
              key: 'keyColumn',
              title: t('datasets.keyColumn'),
              dataIndex: 'keyColumn',
              className: 'mono',
            },
            {
              key: 'updated',
              title: t('datasets.updated'),
              render: (_, s) => byWhom(s.updatedAt, s.updatedBy),
            },
          ]}
        />
      )}
    </>
  );
}
