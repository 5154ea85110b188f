import { compileFlow, dataAlong, type Flow, type HistoryEntry } from '@ordo/engine';
import { Timeline } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { usePeople } from '../../components/use-names';
import {
  type DataChange,
  dataChanges,
  pathLabel,
  stateLabel,
  valueText,
} from '../../model/data-changes';
import { labelIn } from '../../model/flow-graph';
import { actorName } from '../../model/order-names';
import { OrderSourceLine } from './OrderSource';

/**
 * The order's history as sentences: who did what (a person's name, or the system), the states
 * by their labels, and which values changed from what to what — read by replaying the history
 * on its flow; where the replay is refused (a rule reading a data set), an update's patch.
 * Drawn as antd's `Timeline` (an `ol`, an `li` per entry): moves blue, data changes grey, timers
 * orange.
 */
export function OrderTimeline({
  history,
  flow,
  orderId,
  data,
}: {
  history: readonly HistoryEntry[];
  flow: Flow;
  orderId: string;
  data: Record<string, unknown>;
}) {
  const { t, i18n } = useTranslation();
  const people = usePeople();
  const locale = i18n.language;
  const after = useMemo(() => {
    try {
      return dataAlong(compileFlow(flow), history, orderId, data);
    } catch {
      return () => undefined;
    }
  }, [flow, history, orderId, data]);
  const state = (id: string | null) => (id === null ? '' : stateLabel(flow, id, locale));
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'medium' });

  const changesAt = (i: number, h: HistoryEntry): DataChange[] => {
    const now = after(i);
    if (now !== undefined && (i === 0 || after(i - 1) !== undefined))
      return dataChanges(i === 0 ? {} : after(i - 1), now);
    // Unreplayed: an update's merge patch says what became what (null: removed).
    return h.kind === 'updated' && h.payload && typeof h.payload === 'object'
      ? dataChanges({}, h.payload).map((c) => (c.to === null ? { path: c.path } : c))
      : [];
  };
  const what = (h: HistoryEntry) => {
    const move = { from: state(h.from), to: state(h.to) };
    if (h.kind === 'created') return t('workbench.timeline.created', move);
    if (h.kind === 'updated') return t('workbench.timeline.updated');
    if (h.kind === 'timer') return t('workbench.timeline.timer', move);
    const transition = flow.transitions.find((x) => x.id === h.transition);
    if (!h.event) return t('workbench.timeline.auto', move);
    return transition?.label
      ? t('workbench.timeline.fired', { step: labelIn(transition.label, locale, h.event), ...move })
      : t('workbench.timeline.moved', move);
  };
  const colour = (h: HistoryEntry) =>
    h.kind === 'updated' ? 'gray' : h.kind === 'timer' ? 'orange' : 'blue';
  return (
    <div data-testid="timeline">
      <Timeline
        className="timeline"
        items={history.map((h, i) => {
          const changes = changesAt(i, h);
          const source = h.kind === 'created' ? h.source : undefined;
          return {
            key: i,
            color: colour(h),
            content: (
              <div data-kind={h.kind}>
                <span className="muted">{date.format(new Date(h.at))}</span>{' '}
                <span className="entry-who" title={h.actor.id}>
                  {actorName(people, h.actor, t('workbench.system'))}
                </span>{' '}
                {what(h)}
                {source && <OrderSourceLine source={source} />}
                {changes.length > 0 && (
                  <ul className="changes">
                    {changes.map((c) => (
                      <li key={c.path}>
                        {pathLabel(flow.fields, c.path, locale)}:{' '}
                        {'from' in c && (
                          <>
                            <del>{valueText(c.from, locale)}</del> →{' '}
                          </>
                        )}
                        <strong>
                          {'to' in c ? valueText(c.to, locale) : t('workbench.timeline.removed')}
                        </strong>
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            ),
          };
        })}
      />
    </div>
  );
}
