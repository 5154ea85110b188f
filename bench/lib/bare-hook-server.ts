/**
 * The baseline of the inbound-webhook benchmark: a bare fastify handler that does the same
 * work without Ordo — Standard Webhooks check over the raw body (the same module), de-duplication
 * by the signed webhook-id, find the
 * order by reference, insert it or move its state, answer — with the raw driver, one
 * statement per step (autocommit). Run as its own process:
 * `node --import tsx lib/bare-hook-server.ts <port> <sqlite-file | postgres-url> <secret>`.
 */
import { randomUUID } from 'node:crypto';
import { verifyWebhook } from '@ordo/connectors';
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import { Pool } from 'pg';

const [port, target, secret] = process.argv.slice(2);
const columns =
  'id, flow_key, flow_version, state, data, version, customer, channel, external_ref, search_text, created_at, updated_at';

type Run = (
  name: string,
  sql: string,
  values: unknown[],
) => Promise<{ rows: any[]; count: number }>;
let run: Run;
if (target.startsWith('postgres')) {
  const pool = new Pool({ connectionString: target, max: 10 });
  run = async (name, sql, values) => {
    let i = 0;
    const text = sql.replace(/\?/g, () => `$${++i}`);
    const result = await pool.query({ name, text, values });
    return { rows: result.rows, count: result.rowCount ?? 0 };
  };
} else {
  const db = new Database(target);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const statements = new Map<string, Database.Statement>();
  run = async (name, sql, values) => {
    let stmt = statements.get(name);
    if (!stmt) statements.set(name, (stmt = db.prepare(sql)));
    if (stmt.reader) return { rows: stmt.all(...values), count: 0 };
    return { rows: [], count: stmt.run(...values).changes };
  };
}

const app = Fastify();
app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) =>
  done(null, body),
);
app.post('/hooks', async (request, reply) => {
  const raw = request.body as Buffer;
  let id: string;
  try {
    id = verifyWebhook(request.headers, raw, secret, Date.now()).id;
  } catch {
    return reply.status(401).send({ error: 'signature' });
  }
  const body = JSON.parse(raw.toString('utf8')) as {
    orderNo: string;
    customer?: string;
    event?: string;
  };
  const now = new Date().toISOString();
  const key = `bare/${id}`;
  const seen = await run('seen', 'SELECT status, answer FROM hook_deliveries WHERE key = ?', [key]);
  if (seen.rows.length)
    return reply.status(Number(seen.rows[0].status)).send(JSON.parse(seen.rows[0].answer));
  const found = await run(
    'find',
    'SELECT id, version FROM orders WHERE flow_key = ? AND external_ref = ?',
    ['bare', body.orderNo],
  );
  let answer: { status: number; body: Record<string, unknown> };
  if (!found.rows.length) {
    const id = randomUUID();
    await run(
      'insert',
      `INSERT INTO orders (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        id,
        'bare',
        1,
        'received',
        JSON.stringify({ customer: body.customer }),
        1,
        null,
        'webhook',
        body.orderNo,
        '',
        now,
        now,
      ],
    );
    answer = { status: 201, body: { outcome: 'created', orderId: id } };
  } else {
    const { id, version } = found.rows[0];
    await run(
      'move',
      "UPDATE orders SET state = 'confirmed', version = ?, updated_at = ? WHERE id = ? AND version = ?",
      [Number(version) + 1, now, id, version],
    );
    answer = { status: 200, body: { outcome: 'fired', orderId: id } };
  }
  await run(
    'record',
    'INSERT INTO hook_deliveries (key, flow_key, trigger_id, status, answer, received_at) VALUES (?, ?, ?, ?, ?, ?)',
    [key, 'bare', 'chat', answer.status, JSON.stringify(answer.body), now],
  );
  return reply.status(answer.status).send(answer.body);
});
app.listen({ port: Number(port), host: '127.0.0.1' }).then(() => console.log('ready'));
