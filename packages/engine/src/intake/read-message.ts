import type { Field, MessageFormat } from '../flow';
import { isUnsafeKey, setPath, unsafeMessage, unsafeSegment } from '../json/safe-path';
import { type DataSets, tableOf } from '../rules/data-sets';

/** Bounds on a message read: longer messages are refused whole, longer lines one by one. */
export const MESSAGE_LIMITS = { chars: 100_000, lines: 2_000, lineChars: 500, parts: 8 } as const;

/** A line (1-based) that was read: as a header (`path` = value) or as an order line (`values`). */
export interface UnderstoodLine {
  line: number;
  text: string;
  as: 'header' | 'line';
  path?: string;
  value?: unknown;
  values?: Record<string, unknown>;
}

/** A line that could not be read, and why (`code`, a message for the sender). */
export interface MisreadLine {
  line: number;
  text: string;
  code: string;
  message: string;
}

/** What a message says: the order data, and by line what was understood and what was not. */
export interface MessageReading {
  data: Record<string, unknown>;
  externalRef?: string;
  understood: UnderstoodLine[];
  /** Lines that look like order lines (a digit, a word of the pattern) but could not be read. */
  notUnderstood: MisreadLine[];
  /** Lines without a digit or a word of the pattern (a greeting): left out. */
  ignored: number[];
}

interface Part {
  name: string;
  optional: boolean;
}

/** A compiled line pattern: one anchored regular expression, a group per part. */
export interface LinePattern {
  regex: RegExp;
  parts: Part[];
  /** The pattern's literal words (`x`): a line holding one looks like an order line. */
  words: string[];
}

const PART = /\{([^{}]*)\}/g;
const PART_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const NUMBER = '(\\d[\\d,]*(?:\\.\\d+)?)';
const normalLabel = (label: string) => label.trim().toLowerCase().replace(/\s+/g, ' ');

/** The problems of a message format (lint and the server's checks): paths relative to it. */
export function messageFormatProblems(
  format: MessageFormat,
): { path: string[]; code: string; message: string }[] {
  const out: { path: string[]; code: string; message: string }[] = [];
  const compiled = compileLinePattern(format.line, format);
  if ('error' in compiled)
    out.push({ path: ['line'], code: compiled.code, message: compiled.error });
  const check = (path: string[], dotPath: string) => {
    const segment = unsafeSegment(dotPath);
    if (segment !== undefined)
      out.push({ path, code: 'unsafe_path', message: unsafeMessage(dotPath, segment) });
  };
  for (const [label, target] of Object.entries(format.header ?? {}))
    check(['header', label], target);
  check(['lines'], format.lines ?? 'lines');
  if (!('error' in compiled)) {
    const names = new Set(compiled.parts.map((p) => p.name));
    if (format.units && !names.has('unit'))
      out.push({
        path: ['units'],
        code: 'unknown_part',
        message: `units are given but the line pattern has no {unit} part — add "{unit}" or "{unit?}" to it`,
      });
    const scaled = format.units?.part ?? 'qty';
    if (format.units && !names.has(scaled))
      out.push({
        path: ['units', 'part'],
        code: 'unknown_part',
        message: `units scale "${scaled}", which is not a part of the line pattern`,
      });
    if (format.aliases && !names.has(format.aliases.part))
      out.push({
        path: ['aliases', 'part'],
        code: 'unknown_part',
        message: `aliases replace "${format.aliases.part}", which is not a part of the line pattern`,
      });
    if (format.known && !names.has(format.known.part))
      out.push({
        path: ['known', 'part'],
        code: 'unknown_part',
        message: `known checks "${format.known.part}", which is not a part of the line pattern`,
      });
  }
  return out;
}

/**
 * Compiles `{sku} x {qty} {unit?}`: literal text matches as written (case ignored, any run of
 * spaces around it optional); a part is one word, a number for the unit-scaled part, letters
 * for `{unit}`, and the pattern's last part takes the rest of the line. Every part but the
 * last is free of spaces, so matching stays linear enough for hostile lines.
 */
export function compileLinePattern(
  pattern: string,
  format?: Pick<MessageFormat, 'units'>,
): LinePattern | { error: string; code: string } {
  const parts: Part[] = [];
  const pieces: ({ literal: string } | Part)[] = [];
  let last = 0;
  for (const match of pattern.matchAll(PART)) {
    if (match.index > last) pieces.push({ literal: pattern.slice(last, match.index) });
    const optional = match[1].endsWith('?');
    const name = optional ? match[1].slice(0, -1) : match[1];
    if (isUnsafeKey(name)) return { code: 'unsafe_path', error: unsafeMessage(name, name) };
    if (!PART_NAME.test(name))
      return {
        code: 'bad_part',
        error: `"{${match[1]}}" is not a part: name it with letters, digits and _ ({sku}, {qty?})`,
      };
    if (parts.some((p) => p.name === name))
      return { code: 'bad_part', error: `the part {${name}} appears twice` };
    const part = { name, optional };
    parts.push(part);
    pieces.push(part);
    last = match.index + match[0].length;
  }
  if (last < pattern.length) pieces.push({ literal: pattern.slice(last) });
  if (/[{}]/.test(pieces.map((p) => ('literal' in p ? p.literal : '')).join('')))
    return { code: 'bad_part', error: 'a "{" or "}" does not open or close a part' };
  if (!parts.length)
    return {
      code: 'bad_part',
      error: 'the line pattern has no {part}: write e.g. "{sku} x {qty}"',
    };
  if (parts.length > MESSAGE_LIMITS.parts)
    return { code: 'bad_part', error: `at most ${MESSAGE_LIMITS.parts} parts in a line pattern` };
  for (let i = 1; i < pieces.length; i++)
    if (!('literal' in pieces[i]) && !('literal' in pieces[i - 1]))
      return {
        code: 'bad_part',
        error: 'two parts touch: put a separator (a space, "x", ",") between them',
      };
  const scaled = format?.units?.part ?? 'qty';
  const lastPart = parts[parts.length - 1];
  let source = '';
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i];
    if ('literal' in piece) {
      const next = pieces[i + 1];
      // A spacing before an optional part belongs to the part (absent together).
      if (next && !('literal' in next) && next.optional && !piece.literal.trim()) continue;
      const word = piece.literal.trim();
      source += word ? `\\s*${word.split(/\s+/).map(escape).join('\\s+')}\\s*` : '\\s*';
      continue;
    }
    const group =
      piece.name === 'unit'
        ? '(\\p{L}+)'
        : piece.name === scaled
          ? NUMBER
          : piece === lastPart
            ? '(\\S(?:.*\\S)?)'
            : '(\\S+?)';
    const before = pieces[i - 1];
    const spaced = before && 'literal' in before && !before.literal.trim() ? '\\s*' : '';
    source += piece.optional ? `(?:${spaced}${group})?` : group;
  }
  const words = pieces.flatMap((p) =>
    'literal' in p ? p.literal.trim().toLowerCase().split(/\s+/).filter(Boolean) : [],
  );
  return { regex: new RegExp(`^\\s*${source}\\s*$`, 'iu'), parts, words };
}

/** The field at a dot path of the flow's fields (`customer.id`; `lines` then `qty` inside). */
function fieldAt(fields: readonly Field[] | undefined, path: string): Field | undefined {
  let list = fields;
  let field: Field | undefined;
  for (const key of path.split('.')) {
    field = list?.find((f) => f.key === key);
    if (!field) return undefined;
    list = field.type === 'array' ? field.items : field.fields;
  }
  return field;
}

/** A value as its field's type wants it; a number that does not read stays text. */
function typed(text: string, field: Field | undefined): unknown {
  if (field?.type !== 'number' && field?.type !== 'integer') return text;
  const n = Number(text.replace(/,/g, ''));
  return Number.isFinite(n) && text.trim() !== '' ? n : text;
}

/** A body line with its quoting and list marks taken off; null when it is a quote. */
function bodyLine(raw: string): string | null {
  if (/^\s*>/.test(raw)) return null;
  return raw.replace(/^\s*(?:[-*•·]|\d{1,3}[.)])\s+/, '').trim();
}

/**
 * Reads a message by a flow's format: pure (the data sets are given, nothing is fetched).
 * Every non-empty line is a header, an order line, ignored text (no digit, no word of the
 * pattern) or not understood;
 * quoted lines (`>`) and everything after a signature mark (`--`) are left out. A message over
 * MESSAGE_LIMITS is refused whole.
 */
export function readMessage(
  format: MessageFormat,
  text: string,
  options: { fields?: readonly Field[]; dataSets?: DataSets } = {},
): MessageReading {
  const reading: MessageReading = { data: {}, understood: [], notUnderstood: [], ignored: [] };
  const compiled = compileLinePattern(format.line, format);
  const formatProblem = messageFormatProblems(format)[0];
  if (formatProblem || 'error' in compiled) {
    reading.notUnderstood.push({
      line: 0,
      text: '',
      code: 'bad_format',
      message: `the flow's message format is invalid (${formatProblem?.message ?? ''})`,
    });
    return reading;
  }
  const lines = text.split(/\r?\n/, MESSAGE_LIMITS.lines + 1);
  if (text.length > MESSAGE_LIMITS.chars || lines.length > MESSAGE_LIMITS.lines) {
    reading.notUnderstood.push({
      line: 0,
      text: '',
      code: 'message_too_large',
      message: `the message is longer than ${MESSAGE_LIMITS.chars} characters or ${MESSAGE_LIMITS.lines} lines: send the order as an attached sheet`,
    });
    return reading;
  }
  const labels = new Map(
    Object.entries(format.header ?? {}).map(([label, path]) => [normalLabel(label), path]),
  );
  const arrayPath = format.lines ?? 'lines';
  const itemFields = fieldAt(options.fields, arrayPath)?.items;
  const factors = new Map(
    Object.entries(format.units?.factors ?? {}).map(([u, f]) => [u.toLowerCase(), f]),
  );
  const scaled = format.units?.part ?? 'qty';
  const aliases = format.aliases && tableOf(options.dataSets, format.aliases.dataSet);
  // Without the set (a preview given only the aliases' set) nothing is checked against it; the
  // server fails a message whose set does not exist rather than read it so.
  const known =
    format.known && options.dataSets?.version(format.known.dataSet) !== undefined
      ? tableOf(options.dataSets, format.known.dataSet)
      : undefined;
  const items: Record<string, unknown>[] = [];
  let data: Record<string, unknown> = {};
  for (let i = 0; i < lines.length; i++) {
    const number = i + 1;
    const raw = lines[i];
    if (/^--\s*$/.test(raw)) break;
    const line = bodyLine(raw);
    if (!line) continue;
    const misread = (code: string, message: string) =>
      reading.notUnderstood.push({ line: number, text: line.slice(0, 120), code, message });
    if (line.length > MESSAGE_LIMITS.lineChars) {
      misread('line_too_long', `longer than ${MESSAGE_LIMITS.lineChars} characters`);
      continue;
    }
    const header = /^([^:：]{1,60}?)\s*[:：]\s*(.*)$/u.exec(line);
    const path = header ? labels.get(normalLabel(header[1])) : undefined;
    if (header && path !== undefined) {
      const value = header[2].trim();
      if (!value) {
        misread('empty_value', `"${header[1].trim()}" has no value`);
        continue;
      }
      if (path === 'externalRef') reading.externalRef = value;
      else data = setPath(data, path, typed(value, fieldAt(options.fields, path)));
      reading.understood.push({ line: number, text: line, as: 'header', path, value });
      continue;
    }
    const match = compiled.regex.exec(line);
    if (!match) {
      const tokens = line.toLowerCase().split(/\s+/);
      if (/\d/.test(line) || compiled.words.some((w) => tokens.includes(w)))
        misread(
          'unrecognized_line',
          `not a header (${[...Object.keys(format.header ?? {})].join(', ') || 'none'}) nor an order line like "${format.line}"`,
        );
      else reading.ignored.push(number);
      continue;
    }
    const values: Record<string, unknown> = Object.create(null);
    let unit: string | undefined;
    compiled.parts.forEach((part, k) => {
      const value = match[k + 1];
      if (value === undefined) return;
      if (part.name === 'unit') unit = value;
      else values[part.name] = value.trim();
    });
    if (aliases && typeof values[format.aliases!.part] === 'string') {
      const said = values[format.aliases!.part] as string;
      const row = aliases.get(said) ?? aliases.get(said.toLowerCase());
      const target = row?.[format.aliases!.column];
      if (typeof target === 'string' || typeof target === 'number')
        values[format.aliases!.part] = target;
    }
    const checked = format.known && values[format.known.part];
    if (known && typeof checked === 'string' && !known.get(checked)) {
      misread(
        'unknown_value',
        `${format.known!.part} "${checked}" is not in the data set ${format.known!.dataSet}`,
      );
      continue;
    }
    let problem: string | undefined;
    for (const name of Object.keys(values)) {
      const field = itemFields?.find((f) => f.key === name);
      const value = typed(
        String(values[name]),
        field ?? (name === scaled && format.units ? ({ type: 'number' } as Field) : undefined),
      );
      if ((field?.type === 'number' || field?.type === 'integer') && typeof value !== 'number')
        problem ??= `${name} "${String(values[name])}" is not a number`;
      values[name] = value;
    }
    if (unit !== undefined) {
      const factor = factors.get(unit.toLowerCase());
      if (factor === undefined)
        problem ??= `unknown unit "${unit}" (known: ${[...factors.keys()].join(', ') || 'none'})`;
      else if (typeof values[scaled] === 'number')
        values[scaled] = Math.round((values[scaled] as number) * factor * 1e6) / 1e6;
    }
    if (problem) {
      misread('bad_value', problem);
      continue;
    }
    const item = { ...values };
    items.push(item);
    reading.understood.push({ line: number, text: line, as: 'line', values: item });
  }
  if (items.length) data = setPath(data, arrayPath, items);
  reading.data = data;
  return reading;
}
