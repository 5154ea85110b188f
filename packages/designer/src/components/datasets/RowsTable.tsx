import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { messageOf } from '../../pages/integrations/message-of';
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
  return (
    <table data-testid="dataset-rows">
      <thead>
        <tr>
          {line && <th>{t('datasets.line')}</th>}
          <th className="mono">{keyColumn}</th>
          {names.map((name) => (
            <th key={name} className="mono">
              {name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => (
          <tr key={`${row.key}:${i}`}>
            {line && <td>{row.line}</td>}
            <td className="mono">{row.key}</td>
            {names.map((name) => (
              <td key={name}>{cellText(row.values[name])}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
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

  const search = (e: FormEvent) => {
    e.preventDefault();
    setTrail([]);
    setQ(typed.trim());
  };
  return (
    <div>
      <form className="inline" onSubmit={search}>
        <input
          name="dataset-search"
          aria-label={t('datasets.search')}
          placeholder={t('datasets.search')}
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
        />
        <button type="submit" className="ghost">
          {t('datasets.find')}
        </button>
      </form>
      {error && <p className="error">{error}</p>}
      {page && <RowsGrid rows={page.items} columns={columns} keyColumn={keyColumn} />}
      <div className="inline">
        {cursor && (
          <button className="ghost" onClick={() => setTrail(trail.slice(0, -1))}>
            {t('datasets.previous')}
          </button>
        )}
        {page?.nextCursor && (
          <button className="ghost" onClick={() => setTrail([...trail, page.nextCursor!])}>
            {t('datasets.next')}
          </button>
        )}
      </div>
    </div>
  );
}
