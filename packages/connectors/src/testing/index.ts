import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SafeHttpClient } from '../http/http-client';
import type { Connector, ConnectorLog } from '../sdk/define-connector';
import { runAction } from '../sdk/run-action';

/** A request the test server received. */
export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  json?: unknown;
}

/** What a test handler answers. */
export interface TestAnswer {
  status?: number;
  json?: unknown;
  body?: string;
  headers?: Record<string, string>;
}

/** A local HTTP server for connector tests: records requests, answers with `handler`. */
export async function startTestServer(
  handler: (request: ReceivedRequest) => TestAnswer | Promise<TestAnswer> = () => ({ json: {} }),
): Promise<{ url: string; requests: ReceivedRequest[]; close(): Promise<void> }> {
  const requests: ReceivedRequest[] = [];
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    let json: unknown;
    try {
      json = body ? JSON.parse(body) : undefined;
    } catch {
      json = undefined;
    }
    const received = { method: req.method!, url: req.url!, headers: req.headers, body, json };
    requests.push(received);
    const answer = await handler(received);
    const payload = answer.json !== undefined ? JSON.stringify(answer.json) : (answer.body ?? '');
    res.writeHead(answer.status ?? 200, {
      ...(answer.json !== undefined && { 'content-type': 'application/json' }),
      ...answer.headers,
    });
    res.end(payload);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Where a test credential may go by default: loopback, where test servers listen. */
export const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1:*', 'localhost:*', '[::1]:*'];

/**
 * Runs one attempt of an action the way the runtime does (schemas, timeout, idempotency key,
 * the credential only to its hosts — loopback unless `credentialHosts` says otherwise), with
 * every address allowed so it can reach a test server.
 */
export async function runTestAction(
  connector: Connector,
  action: string,
  options: {
    input: unknown;
    settings?: Record<string, unknown>;
    credentials?: Record<string, string>;
    credentialHosts?: readonly string[];
    idempotencyKey?: string;
    timeoutMs?: number;
    log?: ConnectorLog;
  },
): Promise<unknown> {
  const http = new SafeHttpClient({ allow: ['*:*'] });
  try {
    return await runAction(connector, action, {
      ...options,
      credentialHosts: options.credentialHosts ?? LOOPBACK_HOSTS,
      http,
      idempotencyKey: options.idempotencyKey ?? 'test-key',
    });
  } finally {
    await http.close();
  }
}
