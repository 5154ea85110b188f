import { Alert, Button, Form, Radio, Select, Space, Table, Tag } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Flow } from '@ordo/engine';
import { api } from '../api';
import { FilePicker } from '../components/FilePicker';
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
 * valid rows or all-or-nothing. On antd: the flow a `Select`, the file dropped on or picked
 * from an `Upload.Dragger` (read here, nothing uploaded until the import), the mapping, preview
 * and refused rows `Table`s.
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

  async function choose(chosen: File) {
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

  // The fields' paths, and a column's target that is none of them (kept as the server mapped it).
  const targets = (column: string) => {
    const mapped = mapping[column];
    const extra = mapped && mapped !== 'externalRef' && !paths.includes(mapped) ? [mapped] : [];
    return [
      { value: SKIP, label: t('import.skip') },
      { value: 'externalRef', label: t('import.reference') },
      ...[...paths, ...extra].map((p) => ({ value: p, label: p })),
    ];
  };
  return (
    <main className="page import">
      <h1>{t('import.title')}</h1>
      <Form component={false} layout="vertical">
        <Form.Item label={t('import.flow')} htmlFor="import-flow">
          <Select
            id="import-flow"
            data-testid="import-flow"
            className="import-flow"
            value={flowKey || undefined}
            onChange={(key: string) => setFlowKey(key)}
            options={flows.map((f) => ({ value: f.key, label: f.key }))}
          />
        </Form.Item>
        <Form.Item label={t('import.file')}>
          <FilePicker
            name="import-file"
            accept=".csv,.xlsx,.jsonl"
            chosen={file?.name}
            onFile={(chosen) => void choose(chosen)}
          />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} />}
      {check?.columns && (
        <section>
          <h2>{t('import.mapping')}</h2>
          <Table
            data-testid="import-mapping"
            size="small"
            pagination={false}
            rowKey={(column) => column}
            dataSource={check.columns}
            columns={[
              { key: 'column', title: t('import.column'), render: (_, column) => column },
              {
                key: 'target',
                title: t('import.field'),
                render: (_, column) => (
                  <Select
                    aria-label={column}
                    data-column={column}
                    className="import-target"
                    // Every target in the list (short): the chosen one is not scrolled to alone.
                    virtual={false}
                    value={mapping[column] ?? SKIP}
                    onChange={(target: string) => remap(column, target)}
                    options={targets(column)}
                  />
                ),
              },
            ]}
          />
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
          <Table
            size="small"
            pagination={false}
            rowKey="line"
            dataSource={check.preview ?? []}
            columns={[
              {
                key: 'line',
                title: t('import.lines'),
                render: (_, row) => (row.rows ?? [row.line]).join(', '),
              },
              { key: 'ref', title: t('import.reference'), dataIndex: 'externalRef' },
              {
                key: 'state',
                title: t('orders.state'),
                render: (_, row) => <Tag>{row.state}</Tag>,
              },
              {
                key: 'data',
                title: t('orders.data'),
                render: (_, row) => (
                  <span className="mono">{JSON.stringify(row.data).slice(0, 120)}</span>
                ),
              },
            ]}
          />
          <Refused refused={check.refused} />
          <Space wrap className="import-run">
            <Radio.Group
              name="mode"
              value={mode}
              onChange={(e) => setMode(e.target.value as 'valid' | 'all')}
              options={[
                { value: 'valid', label: t('import.onlyValid') },
                { value: 'all', label: t('import.allOrNothing') },
              ]}
            />
            <Button type="primary" onClick={() => void run()} disabled={!check.valid}>
              {t('import.run', { count: check.valid })}
            </Button>
          </Space>
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
    <Table
      data-testid="import-refused"
      size="small"
      pagination={false}
      rowKey={(_, i) => String(i)}
      dataSource={refused.slice(0, 200)}
      columns={[
        { key: 'line', title: t('import.line'), dataIndex: 'line' },
        { key: 'column', title: t('import.column'), render: (_, r) => r.column ?? r.path ?? '' },
        {
          key: 'why',
          title: t('import.why'),
          render: (_, r) => <span className="error-text">{r.message}</span>,
        },
      ]}
    />
  );
}
