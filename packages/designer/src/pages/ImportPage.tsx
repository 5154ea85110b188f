import { type ChangeEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Flow } from '@ordo/engine';
import { api } from '../api';
import { fieldPaths } from '../model/field-paths';
import { fileBase64 } from '../model/file-base64';
import { messageOf } from './integrations/message-of';

interface RowProblem {
  line: number;
  column?: string;
  path?: string;
  message: string;
}

interface ImportAnswer {
  rows: number;
  valid: number;
  imported: number;
  refused: RowProblem[];
  columns?: string[];
  mapping?: Record<string, string | null>;
  /** The orders found (at most 20): `rows` are the lines of a sheet with one row per order line. */
  preview?: {
    line: number;
    rows?: number[];
    externalRef: string | null;
    state: string;
    data: unknown;
  }[];
}

type Format = 'csv' | 'xlsx' | 'jsonl';

const SKIP = '';

/** Reads a file as the API wants it: text, or base64 for Excel. */
async function readFile(file: File): Promise<{ format: Format; content: string }> {
  const name = file.name.toLowerCase();
  if (name.endsWith('.xlsx')) return { format: 'xlsx', content: await fileBase64(file) };
  return { format: name.endsWith('.jsonl') ? 'jsonl' : 'csv', content: await file.text() };
}

/**
 * Orders from a file (CSV, Excel, JSON Lines): choose the flow and the file, map each column
 * to a field, see the preview and every refused row with its line and column, then import the
 * valid rows or all-or-nothing.
 */
export function ImportPage() {
  const { t } = useTranslation();
  const [flows, setFlows] = useState<{ key: string; latestVersion: number | null }[]>([]);
  const [flowKey, setFlowKey] = useState('');
  const [paths, setPaths] = useState<string[]>([]);
  const [file, setFile] = useState<{ name: string; format: Format; content: string }>();
  const [mapping, setMapping] = useState<Record<string, string | null>>({});
  const [mode, setMode] = useState<'valid' | 'all'>('valid');
  const [check, setCheck] = useState<ImportAnswer>();
  const [done, setDone] = useState<ImportAnswer>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    void api<{ items: { key: string; latestVersion: number | null }[] }>('GET', '/flows').then(
      (r) => {
        const published = r.items.filter((f) => f.latestVersion);
        setFlows(published);
        const asked = new URLSearchParams(window.location.hash.split('?')[1]).get('flow');
        setFlowKey(asked ?? published[0]?.key ?? '');
      },
    );
  }, []);
  useEffect(() => {
    if (!flowKey) return;
    void api<{ latest: Flow | null }>('GET', `/flows/${flowKey}`).then((f) =>
      setPaths(f.latest ? fieldPaths(f.latest.fields) : []),
    );
  }, [flowKey]);

  const request = (dryRun: boolean, map = mapping) =>
    api<ImportAnswer>('POST', `/flows/${flowKey}/imports`, {
      format: file!.format,
      content: file!.content,
      ...(file!.format !== 'jsonl' && Object.keys(map).length && { mapping: map }),
      mode,
      dryRun,
      fileName: file!.name.slice(0, 255),
    });

  // Only the answer to the latest preview counts (mapping changes can overtake each other).
  const latest = useRef(0);
  async function preview(map = mapping) {
    setError(undefined);
    setDone(undefined);
    const asked = ++latest.current;
    try {
      const answer = await request(true, map);
      if (asked !== latest.current) return;
      setCheck(answer);
      if (answer.mapping) setMapping(answer.mapping);
    } catch (e) {
      setError(messageOf(e));
    }
  }

  useEffect(() => {
    if (file && flowKey) void preview({});
    // A new file or flow starts from the columns' own names.
  }, [file, flowKey]);

  async function choose(event: ChangeEvent<HTMLInputElement>) {
    const chosen = event.target.files?.[0];
    if (!chosen) return;
    setMapping({});
    setFile({ name: chosen.name, ...(await readFile(chosen)) });
  }

  async function run() {
    setError(undefined);
    try {
      setDone(await request(false));
      setCheck(undefined);
    } catch (e) {
      setError(messageOf(e));
    }
  }

  const remap = (column: string, target: string) => {
    const next = { ...mapping, [column]: target === SKIP ? null : target };
    setMapping(next);
    void preview(next);
  };

  return (
    <main className="page import">
      <h1>{t('import.title')}</h1>
      <div className="inline">
        <label>
          {t('import.flow')}
          <select name="import-flow" value={flowKey} onChange={(e) => setFlowKey(e.target.value)}>
            {flows.map((f) => (
              <option key={f.key} value={f.key}>
                {f.key}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('import.file')}
          <input
            name="import-file"
            type="file"
            accept=".csv,.xlsx,.jsonl"
            onChange={(e) => void choose(e)}
          />
        </label>
      </div>
      {error && <p className="error">{error}</p>}
      {check?.columns && (
        <section>
          <h2>{t('import.mapping')}</h2>
          <table data-testid="import-mapping">
            <tbody>
              {check.columns.map((column) => (
                <tr key={column}>
                  <td>{column}</td>
                  <td>
                    <select
                      aria-label={column}
                      value={mapping[column] ?? SKIP}
                      onChange={(e) => remap(column, e.target.value)}
                    >
                      <option value={SKIP}>{t('import.skip')}</option>
                      <option value="externalRef">{t('import.reference')}</option>
                      {[...new Set([...paths, ...(mapping[column] ? [mapping[column]!] : [])])].map(
                        (p) => (
                          <option key={p} value={p}>
                            {p}
                          </option>
                        ),
                      )}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {check && (
        <section>
          <h2>{t('import.preview')}</h2>
          <p data-testid="import-summary">
            {t('import.checked', {
              rows: check.rows,
              valid: check.valid,
              refused: check.refused.length,
            })}
          </p>
          <table>
            <tbody>
              {check.preview?.map((row) => (
                <tr key={row.line}>
                  <td>{(row.rows ?? [row.line]).join(', ')}</td>
                  <td>{row.externalRef}</td>
                  <td>{row.state}</td>
                  <td className="mono">{JSON.stringify(row.data).slice(0, 120)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Refused refused={check.refused} />
          <div className="inline">
            <label>
              <input
                type="radio"
                name="mode"
                checked={mode === 'valid'}
                onChange={() => setMode('valid')}
              />
              {t('import.onlyValid')}
            </label>
            <label>
              <input
                type="radio"
                name="mode"
                checked={mode === 'all'}
                onChange={() => setMode('all')}
              />
              {t('import.allOrNothing')}
            </label>
            <button onClick={() => void run()} disabled={!check.valid}>
              {t('import.run', { count: check.valid })}
            </button>
          </div>
        </section>
      )}
      {done && (
        <section data-testid="import-result">
          <h2>{t('import.done', { imported: done.imported, refused: done.refused.length })}</h2>
          <Refused refused={done.refused} />
        </section>
      )}
    </main>
  );
}

function Refused({ refused }: { refused: RowProblem[] }) {
  const { t } = useTranslation();
  if (!refused.length) return null;
  return (
    <table data-testid="import-refused">
      <thead>
        <tr>
          <th>{t('import.line')}</th>
          <th>{t('import.column')}</th>
          <th>{t('import.why')}</th>
        </tr>
      </thead>
      <tbody>
        {refused.slice(0, 200).map((r, i) => (
          <tr key={i}>
            <td>{r.line}</td>
            <td>{r.column ?? r.path ?? ''}</td>
            <td className="error-text">{r.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
