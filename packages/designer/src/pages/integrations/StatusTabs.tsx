import { Button } from 'antd';
import { useTranslation } from 'react-i18next';

/** A row of tabs choosing one status; labels are `${labels}.${status}` translations. */
export function StatusTabs<S extends string>(props: {
  statuses: readonly S[];
  value: S;
  onChange: (status: S) => void;
  labels: string;
}) {
  const { t } = useTranslation();
  return (
    <div className="inline" role="tablist">
      {props.statuses.map((s) => (
        <Button
          key={s}
          role="tab"
          aria-selected={s === props.value}
          type={s === props.value ? 'primary' : 'default'}
          onClick={() => props.onChange(s)}
        >
          {t(`${props.labels}.${s}` as string)}
        </Button>
      ))}
    </div>
  );
}
