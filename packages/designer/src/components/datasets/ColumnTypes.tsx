import { useTranslation } from 'react-i18next';
import type { DataSetColumn } from './dataset-api';

/** The column types an upload may ask for, by column name. */
export type TypeChoices = Record<string, DataSetColumn['type']>;

const TYPES: DataSetColumn['type'][] = ['string', 'number', 'boolean', 'date'];

/**
 * Each column of a checked file with the type its cells are read as, changeable (the dry run
 * then runs again with it); the key column is always text.
 */
export function ColumnTypes({
  columns,
  keyColumn,
  disabled,
  onChange,
}: {
  columns: DataSetColumn[];
  keyColumn: string;
  disabled: boolean;
  onChange(name: string, type: DataSetColumn['type']): void;
}) {
  const { t } = useTranslation();
  return (
    <>
      <h3>{t('datasets.columnTypes')}</h3>
      <table data-testid="dataset-column-types">
        <thead>
          <tr>
            <th>{t('datasets.column')}</th>
            <th>{t('datasets.type')}</th>
          </tr>
        </thead>
        <tbody>
          {columns.map((column) => (
            <tr key={column.name}>
              <td>
                {column.name}
                {column.name === keyColumn && (
                  <span className="badge">{t('datasets.keyColumn')}</span>
                )}
              </td>
              <td>
                <select
                  name={`dataset-type-${column.name}`}
                  aria-label={t('datasets.typeOf', { column: column.name })}
                  value={column.type}
                  disabled={disabled || column.name === keyColumn}
                  onChange={(e) => onChange(column.name, e.target.value as DataSetColumn['type'])}
                >
                  {TYPES.map((type) => (
                    <option key={type} value={type}>
                      {t(`datasets.types.${type}`)}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
