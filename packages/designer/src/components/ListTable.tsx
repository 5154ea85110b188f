import { Empty, Table, type TableProps } from 'antd';

/**
 * A list page's table: rows keyed by `id`, all on one page (the lists are short or loaded as
 * scrolled), and `empty` (when given) said with a small picture when there are none.
 */
export function ListTable<T extends object>({
  empty,
  className,
  ...props
}: TableProps<T> & { empty?: string }) {
  return (
    <Table<T>
      size="middle"
      rowKey="id"
      pagination={false}
      className={`list-table${className ? ` ${className}` : ''}`}
      locale={
        empty === undefined
          ? undefined
          : { emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} /> }
      }
      {...props}
    />
  );
}
