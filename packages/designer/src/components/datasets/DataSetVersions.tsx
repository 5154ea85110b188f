import { useTranslation } from 'react-i18next';
import i18n from '../../i18n';
import type { DataSetVersion } from './dataset-api';
import { useWho } from './use-who';

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
  const who = useWho();
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <table className="dataset-versions" data-testid="dataset-versions">
      <thead>
        <tr>
          <th>{t('datasets.version')}</th>
          <th>{t('datasets.rows')}</th>
          <th>{t('datasets.made')}</th>
          <th>{t('datasets.source')}</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {versions.map((v) => (
          <tr key={v.version} data-testid={`dataset-version-${v.version}`}>
            <td>
              v{v.version}{' '}
              {v.version === current && <span className="badge">{t('datasets.current')}</span>}
            </td>
            <td>{v.rows}</td>
            <td>
              {t('datasets.byWhom', {
                when: date.format(new Date(v.createdAt)),
                who: who(v.createdBy),
              })}
            </td>
            <td className="mono">{v.source ?? ''}</td>
            <td>
              <button
                className="ghost"
                aria-pressed={v.version === viewing}
                disabled={v.version === viewing}
                onClick={() => onView(v.version)}
              >
                {t('datasets.view')}
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
