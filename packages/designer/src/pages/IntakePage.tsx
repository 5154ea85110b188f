import { Alert } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { labelIn } from '../model/flow-graph';
import { ChannelCard } from './intake/ChannelCard';
import type { Channel } from './intake/intake-types';
import { MessageDetail } from './intake/MessageDetail';
import { MessagesTable } from './intake/MessagesTable';
import { messageOf } from './integrations/message-of';

/**
 * `#/intake`: every channel orders come in by (from `GET /api/intake/channels`, so whatever
 * the published flows enable), grouped by flow; the messages, filtered and paged; one
 * message opened (`#/intake?message=<id>`) with what was read of it.
 */
export function IntakePage({ route }: { route: string }) {
  const { t, i18n } = useTranslation();
  const [channels, setChannels] = useState<Channel[]>();
  const [error, setError] = useState<string>();
  /** Bumped after a poll or a retry: counts and lists are asked again. */
  const [refresh, setRefresh] = useState(0);
  const opened = new URLSearchParams(route.split('?')[1] ?? '').get('message');
  const open = (id: string | null) => {
    window.location.hash = id ? `#/intake?message=${id}` : '#/intake';
  };
  const load = useCallback(
    () =>
      api<{ items: Channel[] }>('GET', '/intake/channels')
        .then((r) => (setChannels(r.items), setError(undefined)))
        .catch((e) => setError(messageOf(e))),
    [],
  );
  useEffect(() => void load(), [load, refresh]);
  const flows = useMemo(() => {
    const seen = new Map<string, string>();
    for (const c of channels ?? [])
      seen.set(c.flow, labelIn(c.flowName as never, i18n.language, c.flow));
    return [...seen].map(([key, name]) => ({ key, name }));
  }, [channels, i18n.language]);
  const changed = () => setRefresh((n) => n + 1);

  return (
    <main className="page intake">
      <h1>{t('intake.title')}</h1>
      <p className="muted">{t('intake.intro')}</p>
      {error && <Alert type="error" showIcon title={error} />}
      {opened && (
        <MessageDetail key={opened} id={opened} onClose={() => open(null)} onRetried={changed} />
      )}
      <section>
        <h2>{t('intake.channels')}</h2>
        {channels && !channels.length && <p className="muted">{t('intake.noChannels')}</p>}
        {flows.map((flow) => (
          <div key={flow.key} className="channel-flow" data-flow={flow.key}>
            <h3>
              <a href={`#/flows/${flow.key}`}>{flow.name}</a>
            </h3>
            <ul className="channels">
              {channels!
                .filter((c) => c.flow === flow.key)
                .map((c) => (
                  <ChannelCard
                    key={`${c.kind}-${c.address}`}
                    channel={c}
                    refresh={refresh}
                    onOpen={open}
                    onPolled={changed}
                  />
                ))}
            </ul>
          </div>
        ))}
      </section>
      <MessagesTable flows={flows} refresh={refresh} onOpen={open} />
    </main>
  );
}
