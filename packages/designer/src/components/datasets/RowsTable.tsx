import { Alert, Button, Input, Space } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { messageOf } from '../../pages/integrations/message-of';
import { ListTable } from '../ListTable';
import { cellText, type DataSetRow } from './dataset-api';

/** Rows: the key under the key column's name, then the other columns (and any a row has). */
export function RowsGrid({
  rows,
  columns,
  keyColumn,
  line,
}: {
  rows: (DataSetRow & { line?: number })[];
  columns: string[];
  keyColumn: string;
  line?: boolean;
}) {
  const { t } = useTranslation();
  const names = [...new Set([...columns, ...rows.flatMap((r) => Object.keys(r.values))])].filter(
    (name) => name !== keyColumn,
  );
  if (!rows.length) return <p className="muted">{t('datasets.noRows')}</p>;
  type Row = DataSetRow & { line?: number };
  return (
    <ListTable<Row>
      data-testid="dataset-rows"
      size="small"
      rowKey={(row) => `${row.key}:${row.line ?? ''}`}
      dataSource={rows}
      columns={[
        ...(line
          ? [
              {
                key: '#line',
                title: t('datasets.line'),
                render: (_: unknown, row: Row) => row.line,
              },
            ]
          : []),
        {
          key: '#key',
          title: <span className="mono">{keyColumn}</span>,
          className: 'mono',
          render: (_, row) => row.key,
        },
        ...names.map((name) => ({
          key: name,
          title: <span className="mono">{name}</span>,
          render: (_: unknown, row: Row) => cellText(row.values[name]),
        })),
      ]}
    />
  );
}

const PAGE = 50;

/** One version's rows, a page at a time, searched by key. */
export function RowsTable({
  load,
  columns,
  keyColumn,
}: {
  /** Asks for a page (the parent remounts this table for another set or version). */
  load: (query: { q?: string; limit: number; cursor?: string }) => Promise<{
    items: DataSetRow[];
    nextCursor: string | null;
  }>;
  columns: string[];
  keyColumn: string;
}) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  // The cursors of the pages before this one, so Previous can go back.
  const [trail, setTrail] = useState<string[]>([]);
  const cursor = trail.at(-1);
  const [page, setPage] = useState<{ items: DataSetRow[]; nextCursor: string | null }>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    let live = true;
    load({ q, limit: PAGE, cursor })
      .then((answer) => live && (setPage(answer), setError(undefined)))
      .catch((e) => live && setError(messageOf(e)));
    return () => void (live = false);
  }, [load, q, cursor]);

  const search = (text: string) => {
    setTrail([]);
    setQ(text.trim());
  };
  return (
    <div>
      <Input.Search
        name="dataset-search"
        className="dataset-search"
        aria-label={t('datasets.search')}
        placeholder={t('datasets.search')}
        enterButton={t('datasets.find')}
        value={typed}
        onChange={(e) => setTyped(e.target.value)}
        onSearch={search}
      />
      {error && <Alert type="error" showIcon title={error} />}
      {page && <RowsGrid rows={page.items} columns={columns} keyColumn={keyColumn} />}
      <Space>
        {cursor && (
          <Button onClick={() => setTrail(trail.slice(0, -1))}>{t('datasets.previous')}</Button>
        )}
        {page?.nextCursor && (
          <Button onClick={() => setTrail([...trail, page.nextCursor!])}>
            {t('datasets.next')}
          </Button>
        )}
      </Space>
    </div>
  );
}
