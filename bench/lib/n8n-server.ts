import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startProcess } from './child-server';

/**
 * n8n as a baseline measured in the same run, when `N8N_BIN` names an installed n8n's
 * `bin/n8n` (`npm install n8n@1.123.0`; not a dependency of Ordo): the workflow —
 * webhook → set a field → respond — as its users run it: SQLite with `DB_SQLITE_POOL_SIZE` > 0
 * (n8n's documented setting: WAL mode with that many read connections; 4 as in n8n's own
 * pooled-SQLite CI, override with the variable), every execution saved, on every core (not
 * pinned to Ordo's core). Undefined when `N8N_BIN` is not set.
 */
export async function startN8n(): Promise<{ url: string; child: ChildProcess } | undefined> {
  const bin = process.env.N8N_BIN;
  if (!bin) return undefined;
  const port = 5700 + Math.floor(Math.random() * 90);
  const child = await startProcess(
    [bin, 'start'],
    {
      N8N_USER_FOLDER: mkdtempSync(path.join(tmpdir(), 'n8n-bench-')),
      N8N_PORT: String(port),
      N8N_LISTEN_ADDRESS: '127.0.0.1',
      N8N_DIAGNOSTICS_ENABLED: 'false',
      N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
      N8N_TEMPLATES_ENABLED: 'false',
      N8N_PERSONALIZATION_ENABLED: 'false',
      N8N_RUNNERS_ENABLED: 'false',
      DB_SQLITE_POOL_SIZE: process.env.DB_SQLITE_POOL_SIZE ?? '4',
    },
    /Editor is now accessible/,
    { pinned: false },
  );
  // The owner account, then the workflow created and activated as n8n's editor does.
  const rest = `http://127.0.0.1:${port}/rest`;
  let cookie = '';
  const call = async (method: string, route: string, body: unknown) => {
    const res = await fetch(rest + route, {
      method,
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify(body),
    });
    cookie ||= (res.headers.get('set-cookie') ?? '').split(';')[0];
    const answer = (await res.json()) as { data?: { id: string; versionId: string } };
    if (!res.ok || !answer.data) throw new Error(`n8n ${route}: ${JSON.stringify(answer)}`);
    return answer.data;
  };
  try {
    await call('POST', '/owner/setup', {
      email: 'bench@example.com',
      firstName: 'Bench',
      lastName: 'Bench',
      password: 'Bench-passw0rd',
    });
    const workflow = await call('POST', '/workflows', benchWorkflow());
    await call('POST', `/workflows/${workflow.id}/activate`, { versionId: workflow.versionId });
  } catch (error) {
    child.kill('SIGTERM');
    throw error;
  }
  return { url: `http://127.0.0.1:${port}/webhook/ordo-bench`, child };
}

/** Webhook → Set (one field from the body) → Respond to Webhook. */
function benchWorkflow() {
  return {
    name: 'Ordo bench: webhook, set, respond',
    active: false,
    settings: { executionOrder: 'v1' },
    connections: {
      Webhook: { main: [[{ node: 'Set', type: 'main', index: 0 }]] },
      Set: { main: [[{ node: 'Respond', type: 'main', index: 0 }]] },
    },
    nodes: [
      {
        id: randomUUID(),
        name: 'Webhook',
        type: 'n8n-nodes-base.webhook',
        typeVersion: 2,
        position: [0, 0],
        webhookId: randomUUID(),
        parameters: { httpMethod: 'POST', path: 'ordo-bench', responseMode: 'responseNode' },
      },
      {
        id: randomUUID(),
        name: 'Set',
        type: 'n8n-nodes-base.set',
        typeVersion: 3.4,
        position: [200, 0],
        parameters: {
          assignments: {
            assignments: [
              {
                id: randomUUID(),
                name: 'orderNo',
                value: '={{ $json.body.orderNo }}',
                type: 'string',
              },
            ],
          },
        },
      },
      {
        id: randomUUID(),
        name: 'Respond',
        type: 'n8n-nodes-base.respondToWebhook',
        typeVersion: 1.1,
        position: [400, 0],
        parameters: { respondWith: 'firstIncomingItem' },
      },
    ],
  };
}
