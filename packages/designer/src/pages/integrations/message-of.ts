import { ApiError } from '../../api';

/** A problem's offending paths and messages, or the error's message. */
export const messageOf = (e: unknown) =>
  e instanceof ApiError
    ? (e.problem.errors?.map((x) => `${x.path}: ${x.message}`).join('; ') ?? e.message)
    : (e as Error).message;
