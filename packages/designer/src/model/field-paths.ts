import type { Field } from '@ordo/engine';

/**
 * The dot paths a table column can fill: each scalar field, inside objects, and inside lists
 * per line (`lines[].sku`: a sheet with one row per order line) or at one element
 * (`lines.0.sku`; a second line is `lines.1.sku`, typed the same).
 */
export function fieldPaths(fields: readonly Field[], prefix = ''): string[] {
  return fields.flatMap((f) => {
    const path = `${prefix}${f.key}`;
    if (f.type === 'object' && f.fields?.length) return fieldPaths(f.fields, `${path}.`);
    if (f.type === 'array' && f.items?.length)
      return [
        ...(prefix.includes('[]') ? [] : fieldPaths(f.items, `${path}[].`)),
        ...fieldPaths(f.items, `${path}.0.`),
      ];
    return [path];
  });
}
