import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentUser } from '../api';
import { type DataSet, dataSetsApi } from '../components/datasets/dataset-api';
import { DataSetDetail } from '../components/datasets/DataSetDetail';
import { UploadPanel } from '../components/datasets/UploadPanel';
import { useWho } from '../components/datasets/use-who';
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
  const who = useWho();
  const [sets, setSets] = useState<DataSet[]>();
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string>();
  useEffect(() => {
    dataSetsApi
      .list()
      .then(setSets)
      .catch((e) => setError(messageOf(e)));
  }, []);
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <>
      <div className="dataset-heading">
        <h1>{t('datasets.title')}</h1>
        <span className="spacer" />
        {canEdit && !creating && (
          <button onClick={() => setCreating(true)}>{t('datasets.new')}</button>
        )}
      </div>
      <p className="muted">{t('datasets.intro')}</p>
      {error && <p className="error">{error}</p>}
      {creating && (
        <UploadPanel
          onWritten={(answer) => (window.location.hash = `#/datasets/${answer.dataset.key}`)}
          onCancel={() => setCreating(false)}
        />
      )}
      {sets && !sets.length && <p className="muted">{t('datasets.none')}</p>}
      {sets && sets.length > 0 && (
        <table data-testid="datasets">
          <thead>
            <tr>
              <th>{t('datasets.key')}</th>
              <th>{t('datasets.name')}</th>
              <th>{t('datasets.version')}</th>
              <th>{t('datasets.rows')}</th>
              <th>{t('datasets.keyColumn')}</th>
              <th>{t('datasets.updated')}</th>
            </tr>
          </thead>
          <tbody>
            {sets.map((s) => (
              <tr key={s.key} data-testid={`dataset-${s.key}`}>
                <td className="mono">
                  <a href={`#/datasets/${s.key}`}>{s.key}</a>
                </td>
                <td>{labelIn(s.title, i18n.language, s.key)}</td>
                <td>v{s.version}</td>
                <td>{s.rows}</td>
                <td className="mono">{s.keyColumn}</td>
                <td>
                  {t('datasets.byWhom', {
                    when: date.format(new Date(s.updatedAt)),
                    who: who(s.updatedBy),
                  })}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
