import type { AvailableTransition, Explanation, Flow } from '@ordo/engine';
import { Button, Typography } from 'antd';
import type { RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { pathLabel, stateLabel, valueText } from '../../model/data-changes';
import { labelIn } from '../../model/flow-graph';

/** The values a failed guard saw that come from the order (deepest causes first), by label. */
function valuesSeen(e: Explanation): { path: string; value: unknown }[] {
  const own = e.values.filter((v) => v.path !== undefined) as { path: string; value: unknown }[];
  const inner = (e.causes ?? []).flatMap(valuesSeen);
  const seen = new Set<string>();
  return [...inner, ...own].filter((v) => !seen.has(v.path) && (seen.add(v.path), true));
}

/**
 * What can happen next, each step named by its label and the state it leads to; a blocked
 * step says why next to it (the role it needs, or its guard's failed clause and the values
 * the guard saw, named by their fields). antd buttons, the first step that can be taken the
 * primary one.
 */
export function NextSteps({
  next,
  flow,
  firstStep,
  onFire,
}: {
  next: readonly AvailableTransition[];
  flow: Flow;
  firstStep: RefObject<HTMLButtonElement | null>;
  onFire: (event: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const manual = next.filter((n) => !n.auto);
  const first = manual.find((n) => n.enabled);
  if (manual.length === 0)
    return <Typography.Text type="secondary">{t('workbench.noSteps')}</Typography.Text>;
  return (
    <ul className="plain next-steps" data-testid="next-steps">
      {manual.map((n) => {
        const transition = flow.transitions.find((x) => x.id === n.id);
        const to = stateLabel(flow, n.to, locale);
        // A step without a label of its own is named by where it leads.
        const text = transition?.label
          ? t('workbench.step', { step: labelIn(transition.label, locale, n.id), to })
          : t('workbench.stepTo', { to });
        const seen = n.explanation ? valuesSeen(n.explanation) : [];
        return (
          <li key={n.id} data-event={n.event} title={n.event}>
            <Button
              ref={n === first ? firstStep : undefined}
              type={n === first ? 'primary' : 'default'}
              disabled={!n.enabled}
              onClick={() => onFire(n.event!)}
            >
              {text}
            </Button>
            {!n.enabled && (
              <Typography.Text type="secondary" className="blocked-why" data-testid="blocked-why">
                {t('workbench.blocked', { why: n.explanation?.message ?? n.reason ?? '' })}
                {seen.length > 0 && (
                  <ul>
                    {seen.map((v) => (
                      <li key={v.path}>
                        {pathLabel(flow.fields, v.path, locale)}: {valueText(v.value, locale)}
                      </li>
                    ))}
                  </ul>
                )}
              </Typography.Text>
            )}
          </li>
        );
      })}
    </ul>
  );
}
