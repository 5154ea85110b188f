import Ajv, { type ErrorObject } from 'ajv';
import { flowSchema } from '../flow';
import { ownValue, unsafeMessage, unsafeSegment } from '../json/safe-path';
import type { ProblemList } from './problem-list';

// Ajv's code optimiser counts the generated code's names in objects keyed by those names
// (`err188`, `data34`, …): compiling the flow schema that way gives V8's empty-object map its
// 1,536 transitions, so every object made soon after (JSON.parse, literals) gets a hidden class
// of its own until a full GC, and the property reads of everything that uses those objects go
// megamorphic (rules over order data 3–6× slower). Unoptimised code validates the same.
const ajv = new Ajv({ allErrors: true, strict: false, code: { optimize: false } });
const validate = ajv.compile(flowSchema);

const ACTION_KINDS = ['set', 'call', 'notify', 'emit', 'task'];
const TRIGGER_KINDS = ['webhook', 'schedule', 'pull'];
const LABEL_KEYS = new Set(['label', 'name', 'description', 'message', 'title']);

function valueAt(doc: unknown, pointer: string): unknown {
  let node = doc;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object') return undefined;
    node = ownValue(node, key);
  }
  return node;
}

const under = (path: string, prefix: string) => path === prefix || path.startsWith(prefix + '/');
const isAction = (path: string) => /\/(actions|entry)\/\d+$/.test(path);

/** One readable message for a value that matches none of a union's forms. */
function unionMessage(path: string, value: unknown): string {
  const last = path.split('/').pop() ?? '';
  if (isAction(path))
    return `An action must be an object with exactly one of ${ACTION_KINDS.join(', ')}, e.g. { "set": { "field": value } }`;
  if (LABEL_KEYS.has(last))
    return 'must be a text, or one text per locale such as { "en": "Stock locked", "zh-CN": "已锁库存" }';
  if (last === 'from') return 'must be a state id or a non-empty list of state ids';
  if (/\/options\/\d+$/.test(path))
    return 'an option must be a text or { "value": "...", "label": ... }';
  return `does not have any allowed form (got ${JSON.stringify(value)?.slice(0, 60)})`;
}

/** A key or dot path that names `__proto__`, `constructor` or `prototype`, said plainly. */
function unsafe(path: string, text: unknown) {
  if (typeof text !== 'string') return undefined;
  const segment = unsafeSegment(text);
  return segment === undefined
    ? undefined
    : { path, code: 'unsafe_path', message: unsafeMessage(text, segment) };
}

function describe(
  error: ErrorObject,
  doc: unknown,
): { path: string; code: string; message: string } {
  const p = error.params as Record<string, unknown>;
  const hostile =
    error.keyword === 'additionalProperties'
      ? unsafe(`${error.instancePath}/${p.additionalProperty}`, p.additionalProperty)
      : error.keyword === 'pattern'
        ? unsafe(error.instancePath, valueAt(doc, error.instancePath))
        : undefined;
  if (hostile) return hostile;
  switch (error.keyword) {
    case 'required':
      return {
        path: `${error.instancePath}/${p.missingProperty}`,
        code: 'required',
        message: `${p.missingProperty} is required`,
      };
    case 'additionalProperties':
      return {
        path: `${error.instancePath}/${p.additionalProperty}`,
        code: 'unknown_property',
        message: `unknown property "${p.additionalProperty}" — remove it or check its spelling`,
      };
    case 'const':
      return {
        path: error.instancePath,
        code: 'invalid_value',
        message: `must be ${JSON.stringify(p.allowedValue)}`,
      };
    case 'enum':
      return {
        path: error.instancePath,
        code: 'invalid_value',
        message: `must be one of ${(p.allowedValues as unknown[]).join(', ')}`,
      };
    case 'pattern':
      return {
        path: error.instancePath,
        code: 'invalid_format',
        message: `must match ${p.pattern}`,
      };
    case 'type':
      return {
        path: error.instancePath,
        code: 'invalid_type',
        message: `must be ${p.type === 'object' ? 'an object' : p.type === 'array' ? 'a list' : `a ${p.type}`}`,
      };
    default:
      return {
        path: error.instancePath,
        code: `invalid_${error.keyword}`,
        message: error.message ?? 'is invalid',
      };
  }
}

/**
 * Checks the document against the flow JSON Schema. ajv's union noise is folded into one
 * message per place: an action with one known kind reports only that kind's errors; other
 * unions (labels, `from`, enum options) say which forms are allowed. Returns false when the
 * document does not fit the schema.
 */
export function checkSchema(doc: unknown, out: ProblemList): boolean {
  if (validate(doc)) return true;
  const errors = validate.errors ?? [];
  const unions = errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath);
  // Outermost unions first: an error inside a union is reported by the union's rule.
  const roots = unions.filter((p) => !unions.some((q) => q !== p && under(p, q)));
  for (const path of roots) {
    const value = valueAt(doc, path);
    const kinds =
      value && typeof value === 'object' && !Array.isArray(value)
        ? Object.keys(value).filter((k) => ACTION_KINDS.includes(k))
        : [];
    const trigger = /^\/triggers\/\d+$/.test(path) && value && typeof value === 'object';
    if (trigger) kinds.push(...TRIGGER_KINDS.filter((k) => k in (value as object)));
    if (
      kinds.length === 1 &&
      (trigger || (isAction(path) && Object.keys(value as object).length === 1))
    ) {
      const inner = errors.filter(
        (e) => under(e.instancePath, `${path}/${kinds[0]}`) && e.keyword !== 'anyOf',
      );
      for (const e of inner) out.add({ ...describe(e, doc), severity: 'error' });
      if (inner.length) continue;
    }
    const allowed = errors
      .filter((e) => e.instancePath === path && e.keyword === 'const')
      .map((e) => (e.params as { allowedValue: unknown }).allowedValue);
    if (allowed.length > 1)
      out.error(
        path,
        'invalid_value',
        `must be one of ${allowed.join(', ')}, not ${JSON.stringify(value)}`,
      );
    else out.error(path, 'invalid_form', unionMessage(path, value));
  }
  for (const e of errors) {
    if (e.keyword === 'anyOf' || roots.some((r) => under(e.instancePath, r))) continue;
    out.add({ ...describe(e, doc), severity: 'error' });
  }
  return false;
}
