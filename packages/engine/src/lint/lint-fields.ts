import type { Field } from '../flow';
import { at, type ProblemList } from './problem-list';

/** Field definitions: duplicate keys, attributes that do not fit the type, impossible bounds. */
export function lintFields(fields: readonly Field[], base: string, out: ProblemList): void {
  const seen = new Set<string>();
  fields.forEach((f, i) => {
    const path = `${base}/${i}`;
    if (seen.has(f.key))
      out.error(
        `${path}/key`,
        'duplicate_id',
        `Field "${f.key}" is defined twice here — rename one`,
      );
    seen.add(f.key);
    if (f.type === 'enum' && !f.options?.length)
      out.error(
        `${path}/options`,
        'missing_options',
        `Enum field "${f.key}" needs "options": the allowed values`,
      );
    if (f.options && f.type !== 'enum')
      out.warning(
        `${path}/options`,
        'wrong_attribute',
        `"options" only applies to enum fields; "${f.key}" is ${f.type}`,
      );
    if (f.fields && f.type !== 'object')
      out.error(
        `${path}/fields`,
        'wrong_attribute',
        `"fields" only applies to object fields; "${f.key}" is ${f.type} — use "items" for a list of objects`,
      );
    if (f.items && f.type !== 'array')
      out.error(
        `${path}/items`,
        'wrong_attribute',
        `"items" only applies to array fields; "${f.key}" is ${f.type}`,
      );
    if (f.type === 'object' && !f.fields?.length)
      out.warning(
        path,
        'empty_object',
        `Object field "${f.key}" has no "fields": it can only hold {}`,
      );
    const bounds: [keyof Field, keyof Field][] = [
      ['min', 'max'],
      ['minLength', 'maxLength'],
      ['minItems', 'maxItems'],
    ];
    for (const [lo, hi] of bounds)
      if (
        typeof f[lo] === 'number' &&
        typeof f[hi] === 'number' &&
        (f[lo] as number) > (f[hi] as number)
      )
        out.error(
          at(...path.split('/').slice(1), lo),
          'impossible_bounds',
          `Field "${f.key}": ${lo} ${f[lo]} is larger than ${hi} ${f[hi]} — no value could pass`,
        );
    if (f.pattern !== undefined) {
      try {
        new RegExp(f.pattern, 'u');
      } catch (error) {
        out.error(
          `${path}/pattern`,
          'bad_pattern',
          `Field "${f.key}": the pattern is not a valid regular expression (${(error as Error).message})`,
        );
      }
    }
    if (f.fields) lintFields(f.fields, `${path}/fields`, out);
    if (f.items) lintFields(f.items, `${path}/items`, out);
  });
}
