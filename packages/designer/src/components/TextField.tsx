import { useTranslation } from 'react-i18next';
import { moveItem } from '../model/action-edits';

/** A labelled one-line text input. */
export function TextField(props: {
  name: string;
  label: string;
  value: string | undefined;
  onChange(value: string): void;
  placeholder?: string;
  /** The id of a datalist whose values are offered. */
  list?: string;
}) {
  return (
    <label>
      {props.label}
      <input
        name={props.name}
        list={props.list}
        placeholder={props.placeholder}
        value={props.value ?? ''}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </label>
  );
}

/** Move up, move down and remove, for item `i` of an ordered list. */
export function ItemButtons<T>(props: {
  name: string;
  list: readonly T[];
  i: number;
  onChange(list: T[]): void;
}) {
  const { t } = useTranslation();
  const { list, i } = props;
  return (
    <div className="inline">
      <button type="button" className="ghost" onClick={() => props.onChange(moveItem(list, i, -1))}>
        {t('fields.up')}
      </button>
      <button type="button" className="ghost" onClick={() => props.onChange(moveItem(list, i, 1))}>
        {t('fields.down')}
      </button>
      <button
        type="button"
        className="ghost"
        name={`${props.name}.remove`}
        onClick={() => props.onChange(list.filter((_, j) => j !== i))}
      >
        {t('fields.remove')}
      </button>
    </div>
  );
}
