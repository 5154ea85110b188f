import { useTranslation } from 'react-i18next';
import type { Outcome } from './intake-types';

const BAD: readonly Outcome[] = ['failed', 'refused', 'rejected'];

/** A message's outcome as a badge: red when it took no order. */
export function OutcomeBadge({ outcome, count }: { outcome: Outcome; count?: number }) {
  const { t } = useTranslation();
  return (
    <span className={BAD.includes(outcome) ? 'badge bad' : 'badge'} data-outcome={outcome}>
      {t(`intake.outcome.${outcome}`)}
      {count !== undefined && ` ${count}`}
    </span>
  );
}
