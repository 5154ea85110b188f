import { Button } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api';
import { ErrorAlert } from './TextField';

interface ReplayResult {
  replayed: number;
  same: number;
  different: {
    orderId: string;
    recorded: { state: string };
    replayed: { state: string } | null;
    refused?: { event?: string; kind: string; code: string; message: string };
    dataDiffers?: boolean;
    parted?: { event?: string; kind: string; recorded: string; replayed: string };
  }[];
}

/** Before publishing: the most recent real orders replayed on the draft, and those that differ. */
export function ReplayPanel({ flowKey }: { flowKey: string }) {
  const { t } = useTranslation();
  const [result, setResult] = useState<ReplayResult>();
  const [error, setError] = useState<string>();

  async function replay() {
    setError(undefined);
    try {
      setResult(await api<ReplayResult>('POST', `/flows/${flowKey}/replay`, { limit: 100 }));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : (e as Error).message);
    }
  }

  return (
    <div data-testid="replay">
      <h3>{t('replay.title')}</h3>
      <Button onClick={() => void replay()}>{t('replay.run')}</Button>
      {error && <ErrorAlert message={error} />}
      {result && (
        <>
          <p className={result.different.length ? 'error' : 'muted'}>
            {t('replay.summary', { count: result.replayed, same: result.same })}
          </p>
          <ul className="diff">
            {result.different.map((d) => (
              <li key={d.orderId} className="removed">
                <span className="mono">{d.orderId.slice(0, 8)}</span> {d.recorded.state} →{' '}
                {d.replayed
                  ? `${d.replayed.state}${d.dataDiffers ? ` (${t('replay.dataDiffers')})` : ''}`
                  : `${t('replay.refused', { event: d.refused?.event ?? d.refused?.kind })}: ${d.refused?.message}`}
                {d.parted &&
                  ` — ${t('replay.parted', {
                    event: d.parted.event ?? d.parted.kind,
                    recorded: d.parted.recorded,
                    replayed: d.parted.replayed,
                  })}`}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
