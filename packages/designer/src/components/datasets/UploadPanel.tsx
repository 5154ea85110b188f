import { Alert, Button, Card, Form, Input, Select, Space } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, type ProblemError } from '../../api';
import {
  DATA_SET_KEY,
  type DataSetFormat,
  defaultKeyColumn,
  fileHeader,
  formatOf,
} from '../../model/dataset-file';
import { fileBase64 } from '../../model/file-base64';
import { FilePicker } from '../FilePicker';
import { messageOf } from '../../pages/integrations/message-of';
import { ColumnTypes, type TypeChoices } from './ColumnTypes';
import { type DataSet, type DataSetColumn, dataSetsApi, type UploadAnswer } from './dataset-api';
import { FileProblems } from './FileProblems';
import { RowsGrid } from './RowsTable';
import { UploadDiff } from './UploadDiff';

interface Chosen {
  name: string;
  format: DataSetFormat;
  content: string;
}

async function readChosen(file: File): Promise<Chosen> {
  const format = formatOf(file.name);
  const content = format === 'xlsx' ? await fileBase64(file) : await file.text();
  return { name: file.name, format, content };
}

/**
 * A new version from a file (or a new data set, with its key and title): choose the file and
 * its key column, see the dry run's preview, errors and diff, then write it. An antd card: the
 * file from an `Upload.Dragger` (read in the browser, sent only with the dry run), the key
 * column a `Select`.
 */
export function UploadPanel({
  dataset,
  onWritten,
  onCancel,
}: {
  /** The set to upload to; none for a new one. */
  dataset?: DataSet;
  onWritten(answer: UploadAnswer): void;
  onCancel(): void;
}) {
  const { t } = useTranslation();
  const [key, setKey] = useState(dataset?.key ?? '');
  const [title, setTitle] = useState('');
  const [file, setFile] = useState<Chosen>();
  const [header, setHeader] = useState<string[]>([]);
  const [keyColumn, setKeyColumn] = useState<string>();
  // The types the user chose (every other column: the current version's, else inferred).
  const [types, setTypes] = useState<TypeChoices>({});
  // The columns of the last checked file: they stay shown while it is checked again.
  const [columns, setColumns] = useState<DataSetColumn[]>();
  const [source, setSource] = useState('');
  const [answer, setAnswer] = useState<UploadAnswer>();
  const [problems, setProblems] = useState<ProblemError[]>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const keyOk = DATA_SET_KEY.test(key);

  const body = (
    chosen: Chosen,
    column: string | undefined,
    from: string,
    chosenTypes: TypeChoices,
    dryRun: boolean,
  ) => ({
    format: chosen.format,
    content: chosen.content,
    ...(column && { keyColumn: column }),
    ...(Object.keys(chosenTypes).length > 0 && {
      columns: Object.entries(chosenTypes).map(([name, type]) => ({ name, type })),
    }),
    ...(!dataset && title.trim() && { title: title.trim() }),
    ...(from.trim() && { source: from.trim() }),
    dryRun,
  });

  /** Shows a refusal: a bad file's errors by line and column, anything else as a message. */
  const refused = (e: unknown) => {
    if (e instanceof ApiError && e.status === 422 && e.problem.errors?.length)
      setProblems(e.problem.errors);
    else setError(messageOf(e));
  };

  // Only the answer to the latest dry run counts (key column changes can overtake each other).
  const latest = useRef(0);
  async function check(chosen = file, column = keyColumn, from = source, chosenTypes = types) {
    if (!chosen || !keyOk) return;
    const asked = ++latest.current;
    setAnswer(undefined);
    setProblems(undefined);
    setError(undefined);
    setBusy(true);
    try {
      const dry = await dataSetsApi.upload(key, body(chosen, column, from, chosenTypes, true));
      if (asked !== latest.current) return;
      setAnswer(dry);
      setColumns(dry.dataset.columns);
      // Excel's header is only known from the server.
      if (!column) setKeyColumn(dry.dataset.keyColumn);
      setHeader((known) => (known.length ? known : dry.dataset.columns.map((c) => c.name)));
    } catch (e) {
      if (asked === latest.current) refused(e);
    } finally {
      if (asked === latest.current) setBusy(false);
    }
  }

  async function choose(picked: File) {
    const chosen = await readChosen(picked);
    const names = fileHeader(chosen.format, chosen.content);
    const column = defaultKeyColumn(names, dataset?.keyColumn);
    // Types chosen for columns this file still has stay chosen (a corrected file, say).
    const kept = keptTypes(types, names, column);
    setFile(chosen);
    setHeader(names);
    setKeyColumn(column);
    setTypes(kept);
    // The source says the file's name unless someone wrote another.
    const from = !source || source === file?.name ? picked.name : source;
    setSource(from);
    await check(chosen, column, from, kept);
  }

  async function write() {
    if (!file) return;
    setBusy(true);
    try {
      onWritten(await dataSetsApi.upload(key, body(file, keyColumn, source, types, false)));
    } catch (e) {
      setAnswer(undefined);
      refused(e);
    } finally {
      setBusy(false);
    }
  }

  const current =
    dataset?.version ??
    (answer && answer.dataset.version > 1 ? answer.dataset.version - 1 : undefined);
  const text = (name: string, label: string, value: string, set: (value: string) => void) => (
    <Form.Item label={label} htmlFor={name}>
      <Input id={name} name={name} value={value} onChange={(e) => set(e.target.value)} />
    </Form.Item>
  );
  const keyChosen = (column: string) => {
    // The key column is always text: a type chosen for it no longer applies.
    const kept = keptTypes(types, header, column);
    setKeyColumn(column);
    setTypes(kept);
    void check(file, column, source, kept);
  };
  return (
    <Card
      className="dataset-upload"
      data-testid="dataset-upload"
      title={<h2>{dataset ? t('datasets.upload') : t('datasets.new')}</h2>}
    >
      <Form component={false} layout="vertical">
        {!dataset && (
          <>
            <Form.Item
              label={t('datasets.newKey')}
              htmlFor="dataset-key"
              validateStatus={key && !keyOk ? 'error' : undefined}
              help={key && !keyOk ? t('datasets.badKey') : undefined}
            >
              <Input
                id="dataset-key"
                name="dataset-key"
                value={key}
                // A checked file was checked for the old key: check it again.
                onChange={(e) => (setKey(e.target.value), setAnswer(undefined))}
              />
            </Form.Item>
            {text('dataset-title', t('datasets.newTitle'), title, setTitle)}
          </>
        )}
        <Form.Item label={t('datasets.file')}>
          <FilePicker
            name="dataset-file"
            accept=".csv,.xlsx,.json"
            chosen={file?.name}
            onFile={(picked) => void choose(picked)}
          />
        </Form.Item>
        {text('dataset-source', t('datasets.sourceNote'), source, setSource)}
        {header.length > 0 && (
          <Form.Item label={t('datasets.keyColumn')} htmlFor="dataset-key-column">
            <Select
              id="dataset-key-column"
              data-name="dataset-key-column"
              className="dataset-key-column"
              value={keyColumn}
              onChange={keyChosen}
              options={header.map((name) => ({ value: name, label: name }))}
            />
          </Form.Item>
        )}
      </Form>
      <Space>
        <Button onClick={onCancel}>{t('datasets.cancel')}</Button>
        <Button disabled={!file || !keyOk || busy} onClick={() => void check()}>
          {busy ? t('datasets.checking') : t('datasets.check')}
        </Button>
      </Space>
      {file && columns && (
        <ColumnTypes
          columns={columns.map((c) => ({ name: c.name, type: types[c.name] ?? c.type }))}
          keyColumn={keyColumn ?? ''}
          disabled={busy}
          onChange={(name, type) => {
            const next = { ...types, [name]: type };
            setTypes(next);
            void check(file, keyColumn, source, next);
          }}
        />
      )}
      {error && <Alert type="error" showIcon title={error} />}
      {problems && <FileProblems errors={problems} />}
      {answer?.errors?.length ? <FileProblems errors={answer.errors} /> : null}
      {answer && (
        <>
          <h3>{t('datasets.preview')}</h3>
          <RowsGrid
            rows={answer.preview}
            columns={answer.dataset.columns.map((c) => c.name)}
            keyColumn={answer.dataset.keyColumn}
            line
          />
          <UploadDiff diff={answer.diff} current={current} />
          {answer.unchanged && <Alert type="info" title={t('datasets.unchanged')} />}
          <Button
            type="primary"
            name="dataset-write"
            disabled={answer.unchanged || !!answer.errors?.length || busy}
            onClick={() => void write()}
          >
            {t('datasets.write', { version: answer.dataset.version })}
          </Button>
        </>
      )}
    </Card>
  );
}

/** The chosen types of the columns a header has, leaving out its key column (always text). */
function keptTypes(types: TypeChoices, header: string[], keyColumn: string | undefined) {
  return Object.fromEntries(
    Object.entries(types).filter(([name]) => header.includes(name) && name !== keyColumn),
  ) as TypeChoices;
}
