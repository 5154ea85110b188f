import type { TSchema } from '@sinclair/typebox';

/** The document's components: one schema per concept, by name. */
const registry = new Map<string, TSchema>();

/**
 * Registers a schema as the component `name` and returns it named (`title`). Wherever the
 * returned schema is used inside another one — an item, a property, an answer — the document
 * refers to the component (`#/components/schemas/<name>`) instead of repeating it.
 */
export function component<S extends TSchema>(name: string, schema: S): S {
  if (registry.has(name)) throw new Error(`The API schema "${name}" is registered twice`);
  const named = { ...schema, title: name } as S;
  registry.set(name, named);
  return named;
}

/** The reference to a component. */
export const componentRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** Every registered component, as OpenAPI schemas whose nested components are references. */
export function componentSchemas(): Record<string, object> {
  return Object.fromEntries(
    [...registry].map(([name, schema]) => [name, linkComponents(schema, name)]),
  );
}

/**
 * A schema as plain JSON with each nested registered schema (known by its `title`) replaced by
 * a reference; `skip` is the component being written itself.
 */
export function linkComponents(schema: unknown, skip?: string): object {
  const walk = (value: unknown, top: boolean): unknown => {
    if (Array.isArray(value)) return value.map((item) => walk(item, false));
    if (!value || typeof value !== 'object') return value;
    const record = value as Record<string, unknown>;
    const name = typeof record.title === 'string' ? record.title : undefined;
    if (name && registry.has(name) && !(top && name === skip)) return componentRef(name);
    return Object.fromEntries(Object.entries(record).map(([key, v]) => [key, walk(v, false)]));
  };
  return walk(schema, true) as object;
}
