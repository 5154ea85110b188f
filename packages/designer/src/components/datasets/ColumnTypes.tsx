import { Select, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { ListTable } from '../ListTable';
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
      <ListTable<DataSetColumn>
        data-testid="dataset-column-types"
        size="small"
        rowKey="name"
        dataSource={columns}
        columns={[
          {
            key: 'name',
            title: t('datasets.column'),
            render: (_, column) => (
              <>
                {column.name}{' '}
                {column.name === keyColumn && <Tag color="blue">{t('datasets.keyColumn')}</Tag>}
              </>
            ),
          },
          {
            key: 'type',
            title: t('datasets.type'),
            render: (_, column) => (
              <Select
                data-name={`dataset-type-${column.name}`}
                className="dataset-type"
                aria-label={t('datasets.typeOf', { column: column.name })}
                value={column.type}
                disabled={disabled || column.name === keyColumn}
                onChange={(type: DataSetColumn['type']) => onChange(column.name, type)}
                options={TYPES.map((type) => ({ value: type, label: t(`datasets.types.${type}`) }))}
              />
            ),
          },
        ]}
      />
    </>
  );
}
