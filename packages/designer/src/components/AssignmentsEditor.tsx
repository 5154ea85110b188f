import { Button, Input, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { type AssignmentRow, assignmentRows, rowsToAssignments } from '../model/action-edits';
import { useTyped } from './use-typed';

/**
 * `path: value` rows (a set action, a call's input, an emit's payload). Values are JSON — a
 * literal or json-logic such as `{"var": "customer.id"}` — or plain text.
 */
export function AssignmentsEditor(props: {
  name: string;
  /** What a value looks like here (default: "value or json-logic"). */
  valueHint?: string;
  value: Record<string, unknown> | undefined;
  onChange(value: Record<string, unknown>): void;
}) {
  const { t } = useTranslation();
  // Rows as typed (a path half written, two rows of one path) stay while they say the value.
  const [rows, setRows] = useTyped<Record<string, unknown>, AssignmentRow[]>(
    props.value ?? {},
    assignmentRows,
    rowsToAssignments,
  );
  const change = (next: AssignmentRow[]) => {
    setRows(next);
    props.onChange(rowsToAssignments(next));
  };
  return (
    <div className="assignments">
      {rows.map((row, i) => (
        <Space.Compact key={i} block>
          <Input
            name={`${props.name}.${i}.path`}
            placeholder={t('actions.path')}
            value={row.path}
            onChange={(e) =>
              change(rows.map((r, j) => (j === i ? { ...r, path: e.target.value } : r)))
            }
          />
          <Input
            name={`${props.name}.${i}.value`}
            placeholder={props.valueHint ?? t('actions.value')}
            value={row.value}
            spellCheck={false}
            onChange={(e) =>
              change(rows.map((r, j) => (j === i ? { ...r, value: e.target.value } : r)))
            }
          />
          <Button
            aria-label={t('actions.removeRow')}
            onClick={() => change(rows.filter((_, j) => j !== i))}
          >
            ×
          </Button>
        </Space.Compact>
      ))}
      <Button
        size="small"
        name={`${props.name}.add`}
        onClick={() => setRows([...rows, { path: '', value: '' }])}
      >
        {t('actions.addRow')}
      </Button>
    </div>
  );
}
