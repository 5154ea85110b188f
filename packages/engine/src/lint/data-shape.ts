import type { Field } from '../flow';

/** What a rule can read at a place: the flow's fields seen as a type tree. */
export type Shape =
  | { kind: 'object'; props: Map<string, Shape> }
  | { kind: 'array'; element: Shape }
  | { kind: 'scalar'; type: string }
  | { kind: 'any' };

export const ANY: Shape = { kind: 'any' };
const scalar = (type: string): Shape => ({ kind: 'scalar', type });
const object = (props: [string, Shape][]): Shape => ({ kind: 'object', props: new Map(props) });

function fieldShape(field: Field): Shape {
  switch (field.type) {
    case 'object':
      return object((field.fields ?? []).map((f) => [f.key, fieldShape(f)]));
    case 'array':
      return {
        kind: 'array',
        element: field.items ? object(field.items.map((f) => [f.key, fieldShape(f)])) : ANY,
      };
    case 'money':
      return object([
        ['amount', scalar('integer')],
        ['currency', scalar('string')],
      ]);
    default:
      return scalar(field.type);
  }
}

/** The order data's shape. */
export function dataShape(fields: readonly Field[]): Shape {
  return object(fields.map((f) => [f.key, fieldShape(f)]));
}

/** What every rule sees at the top: the data plus `$order`, `$event`, `$actor`, `$now`. */
export function rootShape(fields: readonly Field[]): Shape {
  const data = dataShape(fields) as Extract<Shape, { kind: 'object' }>;
  const order = object(
    ['id', 'flow', 'flowVersion', 'state', 'version', 'createdAt', 'updatedAt'].map((k) => [
      k,
      scalar('string'),
    ]),
  );
  const actor = object([
    ['id', scalar('string')],
    ['roles', { kind: 'array', element: scalar('string') }],
    ['kind', scalar('string')],
  ]);
  return {
    kind: 'object',
    props: new Map([
      ...data.props,
      ['$order', order],
      ['$event', ANY],
      ['$actor', actor],
      ['$now', scalar('datetime')],
    ]),
  };
}

/** The shape at a dot path, or why the path does not exist. */
export function resolve(shape: Shape, path: string): { shape: Shape } | { missing: string } {
  if (path === '') return { shape };
  let current = shape;
  const segments = path.split('.');
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    if (current.kind === 'any') return { shape: ANY };
    if (current.kind === 'object') {
      const next = current.props.get(seg);
      if (!next) return { missing: segments.slice(0, i + 1).join('.') };
      current = next;
    } else if (current.kind === 'array') {
      if (seg === 'length') current = scalar('integer');
      else if (/^\d+$/.test(seg)) current = current.element;
      else return { missing: segments.slice(0, i + 1).join('.') };
    } else {
      if (seg === 'length' && (current.type === 'string' || current.type === 'text'))
        current = scalar('integer');
      else return { missing: segments.slice(0, i + 1).join('.') };
    }
  }
  return { shape: current };
}
