import { Button, Select, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api';
import { Modal } from './Modal';
import { ErrorAlert, SelectField } from './TextField';

interface Group {
  fromVersion: number;
  state: string;
  count: number;
}

interface MigrationResult {
  toVersion: number;
  dryRun: boolean;
  moved: (Group & { to: string })[];
  notMoved: (Group & { reason: string })[];
}

/**
 * Moves the orders of older versions onto a published one: a preview first (what moves where,
 * what cannot and why), a state map for the states the target no longer has, then the move.
 */
export function MigrationPanel({
  flowKey,
  versions,
  statesOf,
}: {
  flowKey: string;
  versions: number[];
  statesOf: (version: number) => Promise<string[]>;
}) {
  const { t } = useTranslation();
  const [toVersion, setToVersion] = useState(Math.max(...versions));
  const [targetStates, setTargetStates] = useState<string[]>([]);
  const [confirming, setConfirming] = useState(false);
  const [stateMap, setStateMap] = useState<Record<string, string>>({});
  const [result, setResult] = useState<MigrationResult>();
  const [error, setError] = useState<string>();

  async function run(dryRun: boolean) {
    setError(undefined);
    try {
      if (dryRun) setTargetStates(await statesOf(toVersion));
      const answer = await api<MigrationResult>('POST', `/flows/${flowKey}/migrate`, {
        toVersion,
        dryRun,
        ...(Object.keys(stateMap).length && { stateMap }),
      });
      setResult(answer);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : (e as Error).message);
    }
  }

  const total = result?.moved.reduce((n, g) => n + g.count, 0) ?? 0;
  return (
    <div className="migration" data-testid="migration">
      <h3>{t('migration.title')}</h3>
      <Space wrap>
        <SelectField<number>
          name="migration-target"
          ariaLabel={t('migration.target')}
          value={toVersion}
          onChange={(v) => (setToVersion(v), setResult(undefined))}
          options={versions.map((v) => ({ value: v, label: `v${v}` }))}
        />
        <Button onClick={() => void run(true)}>{t('migration.preview')}</Button>
      </Space>
      {error && <ErrorAlert message={error} />}
      {result && (
        <>
          {!result.moved.length && !result.notMoved.length && (
            <p className="muted">{t('migration.nothing', { version: result.toVersion })}</p>
          )}
          <ul className="diff">
            {result.moved.map((g) => (
              <li key={`${g.fromVersion}:${g.state}`} className="added">
                v{g.fromVersion} {g.state} → {g.to}: {g.count}
              </li>
            ))}
            {result.notMoved.map((g) => (
              <li key={`${g.fromVersion}:${g.state}`} className="removed">
                v{g.fromVersion} {g.state}: {g.count} — {g.reason}{' '}
                <Select<string>
                  size="small"
                  aria-label={t('migration.mapTo', { state: g.state })}
                  popupMatchSelectWidth={false}
                  value={stateMap[g.state] ?? ''}
                  onChange={(to) => setStateMap({ ...stateMap, [g.state]: to })}
                  options={[
                    { value: '', label: t('migration.chooseState') },
                    ...targetStates.map((s) => ({ value: s, label: s })),
                  ]}
                />
              </li>
            ))}
          </ul>
          {result.dryRun && total > 0 && (
            <Button type="primary" onClick={() => setConfirming(true)}>
              {t('migration.move', { count: total })}
            </Button>
          )}
          {confirming && (
            <Modal
              title={t('migration.move', { count: total })}
              submitLabel={t('migration.move', { count: total })}
              cancelLabel={t('orders.cancel')}
              onCancel={() => setConfirming(false)}
              onSubmit={() => {
                setConfirming(false);
                void run(false);
              }}
            >
              <p>{t('migration.confirm', { count: total, version: toVersion })}</p>
            </Modal>
          )}
          {!result.dryRun && (
            <p className="notice">
              {t('migration.done', { count: total, version: result.toVersion })}
            </p>
          )}
        </>
      )}
    </div>
  );
}
