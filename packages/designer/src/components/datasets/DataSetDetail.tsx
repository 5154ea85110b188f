import { Alert, Button, Space, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { currentUser } from '../../api';
import { useTranslation } from 'react-i18next';
import { messageOf } from '../../pages/integrations/message-of';
import { labelIn } from '../../model/flow-graph';
import { ListTable } from '../ListTable';
import { Modal } from '../Modal';
import {
  type DataSet,
  type DataSetColumn,
  type DataSetRefresh,
  dataSetsApi,
  type DataSetVersion,
  type UploadAnswer,
} from './dataset-api';
import { RefreshPanel } from './RefreshPanel';
import { DataSetVersions } from './DataSetVersions';
import { RowsTable } from './RowsTable';
import { UploadPanel } from './UploadPanel';

/**
 * One data set: its columns, the rows of a chosen version, its versions (antd `Table`s), upload
 * and delete.
 */
export function DataSetDetail({ setKey, canEdit }: { setKey: string; canEdit: boolean }) {
  const { t, i18n } = useTranslation();
  const [set, setSet] = useState<
    DataSet & { versions: DataSetVersion[]; refresh: DataSetRefresh | null }
  >();
  // Operators may run a refresh now; designers also set and stop it.
  const [canRun, setCanRun] = useState(false);
  useEffect(() => {
    void currentUser()
      .then((me) => setCanRun(me.roles.some((r) => ['operator', 'designer', 'admin'].includes(r))))
      .catch(() => setCanRun(false));
  }, []);
  const [viewing, setViewing] = useState<number>();
  const [uploading, setUploading] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<string>();

  const load = useCallback(
    () =>
      dataSetsApi
        .get(setKey)
        .then((answer) => (setSet(answer), setViewing(answer.version)))
        .catch((e) => setError(messageOf(e))),
    [setKey],
  );
  useEffect(() => void load(), [load]);
  const rows = useCallback(
    (query: { q?: string; limit: number; cursor?: string }) =>
      dataSetsApi.rows(setKey, { ...query, version: viewing }),
    [setKey, viewing],
  );

  function written(answer: UploadAnswer) {
    setUploading(false);
    setNotice(
      t('datasets.written', { version: answer.dataset.version, rows: answer.dataset.rows }),
    );
    void load();
  }

  async function remove() {
    try {
      await dataSetsApi.remove(setKey);
      window.location.hash = '#/datasets';
    } catch (e) {
      setDeleting(false);
      setError(messageOf(e));
    }
  }

  if (!set) return error ? <p className="error">{error}</p> : null;
  return (
    <>
      <p>
        <a href="#/datasets">{t('datasets.back')}</a>
      </p>
      <div className="dataset-heading">
        <h1>
          {labelIn(set.title, i18n.language, set.key)} <span className="muted mono">{set.key}</span>
        </h1>
        <span className="spacer" />
        <Space>
          {canEdit && !uploading && (
            <Button type="primary" onClick={() => (setUploading(true), setNotice(undefined))}>
              {t('datasets.upload')}
            </Button>
          )}
          {canEdit && (
            <Button danger onClick={() => setDeleting(true)}>
              {t('datasets.delete')}
            </Button>
          )}
        </Space>
      </div>
      {error && <Alert type="error" showIcon title={error} />}
      {notice && (
        <Alert
          type="success"
          showIcon
          className="dataset-notice"
          data-testid="dataset-notice"
          title={notice}
        />
      )}
      {uploading && (
        <UploadPanel dataset={set} onWritten={written} onCancel={() => setUploading(false)} />
      )}
      <RefreshPanel
        setKey={set.key}
        refresh={set.refresh}
        canEdit={canEdit}
        canRun={canRun}
        onChanged={() => void load()}
      />
      <section>
        <h2>{t('datasets.columns')}</h2>
        <ListTable<DataSetColumn>
          data-testid="dataset-columns"
          size="small"
          rowKey="name"
          dataSource={set.columns}
          columns={[
            {
              key: 'name',
              title: t('datasets.column'),
              className: 'mono',
              render: (_, c) => (
                <>
                  {c.name}{' '}
                  {c.name === set.keyColumn && <Tag color="blue">{t('datasets.keyColumn')}</Tag>}
                </>
              ),
            },
            {
              key: 'type',
              title: t('datasets.type'),
              render: (_, c) => t(`datasets.types.${c.type}`),
            },
          ]}
        />
      </section>
      <section>
        <h2>{t('datasets.viewing', { version: viewing })}</h2>
        <RowsTable
          key={viewing}
          load={rows}
          columns={set.columns.map((c) => c.name)}
          keyColumn={set.keyColumn}
        />
      </section>
      <section>
        <h2>{t('datasets.versions')}</h2>
        <DataSetVersions
          versions={set.versions}
          current={set.version}
          viewing={viewing ?? set.version}
          onView={setViewing}
        />
      </section>
      {deleting && (
        <Modal
          title={t('datasets.deleteTitle', { key: set.key })}
          danger
          submitLabel={t('datasets.delete')}
          cancelLabel={t('datasets.cancel')}
          onSubmit={() => void remove()}
          onCancel={() => setDeleting(false)}
        >
          <p>{t('datasets.confirmDelete')}</p>
        </Modal>
      )}
    </>
  );
}
