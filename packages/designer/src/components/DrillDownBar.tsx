import { Button, Space, Tag } from 'antd';
import { useTranslation } from 'react-i18next';

/** The analytics drill-down filters (docs/analytics.md): a figure's link carries them. */
const DRILL_DOWN = [
  'enteredState',
  'measure',
  'over',
  'counter',
  'completed',
  'from',
  'to',
] as const;
const FILTER_KEYS = ['customer', 'channel', 'createdFrom', 'createdTo', ...DRILL_DOWN] as const;

/** Filters of the orders list beside flow, state and text (query parameters of GET /api/orders). */
export type Filters = { [K in (typeof FILTER_KEYS)[number]]?: string };

/** The list's state, text and filters from a link (`#/orders?flow=…&measure=…&over=true`). */
export function fromHash() {
  const p = new URLSearchParams(window.location.hash.split('?')[1]);
  const filters: Filters = {};
  for (const key of FILTER_KEYS) {
    const value = p.get(key);
    if (value) filters[key] = value;
  }
  return { state: p.get('state') ?? '', q: p.get('q') ?? '', filters };
}

/** Which drill-down filters the list came with (antd tags), and one click back to all orders. */
export function DrillDownBar({
  filters,
  onClear,
}: {
  filters: Filters;
  onClear: (rest: Filters) => void;
}) {
  const { t } = useTranslation();
  const shown = DRILL_DOWN.filter((k) => filters[k]);
  if (!shown.length) return null;
  const rest = { ...filters };
  for (const k of DRILL_DOWN) delete rest[k];
  return (
    <Space wrap data-testid="drill-down">
      <span className="muted">{t('orders.drillDown')}</span>
      {shown.map((k) => (
        <Tag key={k} className="mono">
          {k}={filters[k]}
        </Tag>
      ))}
      <Button size="small" onClick={() => onClear(rest)}>
        {t('orders.clearDrillDown')}
      </Button>
    </Space>
  );
}
