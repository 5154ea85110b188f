import {
  type DataSets,
  dataSetRow,
  type Flow,
  messageFormatProblems,
  type MessageReading,
  readMessage,
  validateFlow,
} from '@ordo/engine';

type MessageFormat = NonNullable<NonNullable<Flow['intake']>['message']>;

/** A problem of a typed message format, at its JSON pointer in the flow (`/intake/message/line`). */
export interface FormatProblem {
  path: string;
  message: string;
}

const AT = '/intake/message';

/**
 * The message format typed as JSON: the format, or its problems — not JSON, the flow schema's
 * (an unknown key, a wrong type) and the reader's lint (a bad pattern, units without `{unit}`),
 * each at its path in the flow document.
 */
export function parseFormat(
  doc: Flow,
  text: string,
): { format: MessageFormat; problems: FormatProblem[] } | { error: string } {
  let format: unknown;
  try {
    format = JSON.parse(text);
  } catch (e) {
    return { error: (e as Error).message };
  }
  const withFormat = { ...doc, intake: { ...doc.intake, message: format } } as Flow;
  const problems: FormatProblem[] = validateFlow(withFormat)
    .problems.filter(
      (p) => p.severity === 'error' && (p.path === AT || p.path.startsWith(`${AT}/`)),
    )
    .map((p) => ({ path: p.path, message: p.message }));
  // The reader's own checks need a well-typed format: they run when the schema holds.
  if (!problems.length)
    for (const p of messageFormatProblems(format as MessageFormat))
      problems.push({ path: `${AT}/${p.path.join('/')}`, message: p.message });
  return {
    format: format as MessageFormat,
    problems: [...new Map(problems.map((p) => [`${p.path} ${p.message}`, p])).values()],
  };
}

/** A data set's rows (`GET /api/datasets/:key/rows` items) as the reader's data sets. */
export function previewDataSets(
  name: string,
  version: number,
  rows: readonly { key: string; values: Record<string, unknown> }[],
): DataSets {
  const table = new Map(rows.map((r) => [r.key, dataSetRow(r.values)]));
  return {
    row: (set, key) => (set === name ? table.get(key) : undefined),
    version: (set) => (set === name ? version : undefined),
    table: (set) => (set === name ? table : undefined),
  };
}

/** A sample message read by the format, exactly as the server reads one (the engine's reader). */
export function previewReading(
  doc: Flow,
  format: MessageFormat,
  sample: string,
  dataSets?: DataSets,
): MessageReading {
  return readMessage(format, sample, { fields: doc.fields, dataSets });
}
