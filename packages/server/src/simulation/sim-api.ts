/** The simulation drives the run's server through its own API, as a client would. */

/** An answer of the server's own API, read field by field as the API documents them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON of our own API
export type Answer = { status: number; body: any };

export type Api = (method: string, route: string, body?: unknown, key?: string) => Promise<Answer>;

export function apiOf(url: string, adminKey: string): Api {
  return async (method, route, body, key = adminKey) => {
    const response = await fetch(`${url}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
}
