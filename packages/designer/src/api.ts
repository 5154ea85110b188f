/** One offending place of a refused request (files add their line and column). */
export interface ProblemError {
  path: string;
  message: string;
  code?: string;
  line?: number;
  column?: string | number;
}

/** A refused request: the server's problem+json. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: {
      code?: string;
      title?: string;
      detail?: string;
      errors?: ProblemError[];
    },
  ) {
    super(problem.detail ?? `HTTP ${status}`);
  }
}

export const token = {
  get: () => localStorage.getItem('ordo.token'),
  set: (value: string | null) =>
    value ? localStorage.setItem('ordo.token', value) : localStorage.removeItem('ordo.token'),
};

/** Calls the REST API with the signed-in user's token. */
export async function api<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  const t = token.get();
  if (t) headers.authorization = `Bearer ${t}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`/api${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const parsed = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    if (response.status === 401) token.set(null);
    throw new ApiError(response.status, parsed ?? {});
  }
  return parsed as T;
}

/**
 * Downloads a file the API answers (with the person's token, so not a plain link); answers
 * the HTTP status.
 */
export async function download(path: string, fileName: string): Promise<number> {
  const response = await fetch(`/api${path}`, {
    headers: { authorization: `Bearer ${token.get()}` },
  });
  if (!response.ok) return response.status;
  const a = document.createElement('a');
  a.href = URL.createObjectURL(await response.blob());
  a.download = fileName;
  a.click();
  URL.revokeObjectURL(a.href);
  return response.status;
}

/** The signed-in person (`GET /auth/me`), asked once per token. */
let me:
  | { token: string | null; answer: Promise<{ id: string; name?: string; roles: string[] }> }
  | undefined;
export function currentUser(): Promise<{ id: string; name?: string; roles: string[] }> {
  const t = token.get();
  if (!me || me.token !== t) {
    const answer = api<{ id: string; name?: string; roles: string[] }>('GET', '/auth/me');
    me = { token: t, answer };
    // A refused answer is not kept: the next call asks again.
    answer.catch(() => {
      if (me?.answer === answer) me = undefined;
    });
  }
  return me.answer;
}
