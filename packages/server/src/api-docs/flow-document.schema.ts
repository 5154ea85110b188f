import { flowSchema } from '@ordo/engine';
import type { TSchema } from '@sinclair/typebox';
import { component, componentRef } from './components';

/**
 * The engine's flow JSON Schema (packages/engine/schema) as components: its own `$id`s become
 * names — the recursive `Field` is `FlowField` — so its references resolve in the document.
 */
function asComponents(schema: unknown): TSchema {
  let field: unknown;
  const walk = (value: unknown, root: boolean): unknown => {
    if (Array.isArray(value)) return value.map((v) => walk(v, false));
    if (!value || typeof value !== 'object') return value;
    const { $id, $ref, ...rest } = value as Record<string, unknown>;
    if ($ref === 'Field') return componentRef('FlowField');
    if ($id === 'Field' && !root) {
      field ??= walk(value, true);
      return componentRef('FlowField');
    }
    return Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, walk(v, false)]));
  };
  const doc = walk(schema, true) as TSchema;
  if (field) component('FlowField', field as TSchema);
  return doc;
}

/** A flow document, as `POST /api/flows` takes it and the flow endpoints answer it. */
export const FlowDocument = component('FlowDocument', asComponents(flowSchema));
