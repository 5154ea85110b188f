import type { Field, FieldTypeName, Flow } from '@ordo/engine';

/** Where a field list lives: `[]` is the top level, `[2]` the fields of field 2, and so on. */
export type FieldPath = number[];

const childrenOf = (field: Field): Field[] | undefined =>
  field.type === 'array' ? field.items : field.fields;

function mapList(fields: Field[], path: FieldPath, change: (list: Field[]) => Field[]): Field[] {
  if (path.length === 0) return change(fields);
  const [head, ...rest] = path;
  return fields.map((f, i) => {
    if (i !== head) return f;
    const key = f.type === 'array' ? 'items' : 'fields';
    return { ...f, [key]: mapList(childrenOf(f) ?? [], rest, change) };
  });
}

/** The field list at a path. */
export function fieldsAt(flow: Flow, path: FieldPath): Field[] {
  let list: Field[] = flow.fields;
  for (const i of path) list = childrenOf(list[i]) ?? [];
  return list;
}

/** Adds a field to a list; objects get an empty `fields`, arrays an empty `items`, enums one option. */
export function addField(flow: Flow, path: FieldPath, key: string, type: FieldTypeName): Flow {
  const field: Field = {
    key,
    type,
    ...(type === 'object' && { fields: [] }),
    ...(type === 'array' && { items: [] }),
    ...(type === 'enum' && { options: ['option'] }),
  };
  return { ...flow, fields: mapList(flow.fields, path, (list) => [...list, field]) };
}

/** Changes one field's properties. */
export function updateField(
  flow: Flow,
  path: FieldPath,
  index: number,
  patch: Partial<Field>,
): Flow {
  return {
    ...flow,
    fields: mapList(flow.fields, path, (list) =>
      // A patch value of undefined removes the attribute (an emptied constraint, unticked box).
      list.map((f, i) =>
        i === index
          ? (Object.fromEntries(
              Object.entries({ ...f, ...patch }).filter(([, v]) => v !== undefined),
            ) as unknown as Field)
          : f,
      ),
    ),
  };
}

/** Removes a field. */
export function removeField(flow: Flow, path: FieldPath, index: number): Flow {
  return {
    ...flow,
    fields: mapList(flow.fields, path, (list) => list.filter((_, i) => i !== index)),
  };
}

/** Moves a field up (-1) or down (+1) in its list. */
export function moveField(flow: Flow, path: FieldPath, index: number, by: -1 | 1): Flow {
  return {
    ...flow,
    fields: mapList(flow.fields, path, (list) => {
      const to = index + by;
      if (to < 0 || to >= list.length) return list;
      const next = [...list];
      [next[index], next[to]] = [next[to], next[index]];
      return next;
    }),
  };
}
