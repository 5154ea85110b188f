import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Outcome } from './intake-types';

const BAD: readonly Outcome[] = ['failed', 'refused', 'rejected'];

/** A message's outcome as an antd tag: red when it took no order, green when it made one. */
export function OutcomeBadge({ outcome, count }: { outcome: Outcome; count?: number }) {
  const { t } = useTranslation();
  return (
    <Tag
      color={BAD.includes(outcome) ? 'error' : outcome === 'created' ? 'success' : undefined}
      className="outcome"
      data-outcome={outcome}
    >
      {t(`intake.outcome.${outcome}`)}
      {count !== undefined && ` ${count}`}
    </Tag>
  );
}
