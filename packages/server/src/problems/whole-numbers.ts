import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { type IntegerOptions, Type } from '@sinclair/typebox';
import { problems } from './api-problem';

/**
 * The largest whole number a version or row id column holds (a 32-bit integer on PostgreSQL:
 * a bigger one made the driver throw — a 500 — instead of finding nothing).
 */
export const MAX_DB_INTEGER = 2_147_483_647;

/** A version number or row id in a request body: 1 to {@link MAX_DB_INTEGER}. */
export const DbInteger = (options: IntegerOptions = {}) =>
  Type.Integer({ minimum: 1, maximum: MAX_DB_INTEGER, ...options });

/** A row id or version from a path or query: the number, or undefined if none could exist. */
export function wholeId(raw: string | undefined): number | undefined {
  if (raw === undefined || !/^\d{1,10}$/.test(raw)) return undefined;
  const n = Number(raw);
  return n >= 1 && n <= MAX_DB_INTEGER ? n : undefined;
}

/** `@Param('id', WholeIdPipe)`: a row id or version in the path, else a 400 naming it. */
@Injectable()
export class WholeIdPipe implements PipeTransform<string, number> {
  transform(value: string, metadata: ArgumentMetadata): number {
    const n = wholeId(value);
    if (n === undefined)
      throw problems.invalidParam(
        `/${metadata.data ?? 'id'}`,
        `must be a whole number from 1 to ${MAX_DB_INTEGER}`,
      );
    return n;
  }
}
