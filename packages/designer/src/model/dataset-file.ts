/** The formats `PUT /api/datasets/:key` reads. */
export type DataSetFormat = 'csv' | 'xlsx' | 'json';

/** The format a file's name says: `.xlsx` is Excel, `.json` JSON, anything else CSV. */
export function formatOf(fileName: string): DataSetFormat {
  const name = fileName.toLowerCase();
  if (name.endsWith('.xlsx')) return 'xlsx';
  if (name.endsWith('.json')) return 'json';
  return 'csv';
}

/**
 * The column names of a CSV's first record (quotes, doubled quotes, a BOM and CRLF allowed).
 * The server is the judge of the file; this only offers the key column before the dry run.
 */
export function csvHeader(text: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') quoted = !quoted;
    else if (quoted) cell += c;
    else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') break;
    else cell += c;
  }
  cells.push(cell);
  const names = cells.map((name) => name.trim());
  return names.length === 1 && names[0] === '' ? [] : names;
}

/** The keys of a JSON array of objects, in the order they first appear; none when not one. */
export function jsonHeader(text: string): string[] {
  let rows: unknown;
  try {
    rows = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(rows)) return [];
  const names = new Set<string>();
  for (const row of rows)
    if (row && typeof row === 'object' && !Array.isArray(row))
      for (const name of Object.keys(row)) names.add(name);
  return [...names];
}

/** The header of a text file; Excel's is only known from the server's dry run. */
export function fileHeader(format: DataSetFormat, content: string): string[] {
  if (format === 'csv') return csvHeader(content);
  if (format === 'json') return jsonHeader(content);
  return [];
}

/** The key column to offer: the current one when the file has it, else the file's first. */
export function defaultKeyColumn(header: string[], current?: string): string | undefined {
  if (current && (header.length === 0 || header.includes(current))) return current;
  return header[0];
}

/** What a data set's key may be (the server refuses any other in the URL). */
export const DATA_SET_KEY = /^[a-z0-9][a-z0-9-]{0,63}$/;
