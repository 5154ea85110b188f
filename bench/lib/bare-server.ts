/**
 * The baseline of the POST /api/orders benchmark: a bare fastify handler that validates the
 * body with ajv and inserts the same order row with the raw driver. Run as its own process:
 * `node --import tsx lib/bare-server.ts <port> <sqlite-file | postgres-url>`.
 */
import { randomUUID } from 'node:crypto';
import Ajv from 'ajv';
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import { Pool } from 'pg';

const [port, target] = process.argv.slice(2);
const schema = {
  type: 'object',
  required: ['flow', 'data'],
  additionalProperties: false,
  properties: {
    flow: { type: 'string' },
    data: {
      type: 'object',
      required: ['customer', 'qty'],
      additionalProperties: false,
      properties: {
        customer: {
          type: 'object',
          required: ['id'],
          properties: { id: { type: 'string' } },
          additionalProperties: false,
        },
        qty: { type: 'integer', minimum: 1 },
      },
    },
  },
};
const validate = new Ajv().compile(schema);
const columns =
  'id, flow_key, flow_version, state, data, version, customer, channel, external_ref, search_text, created_at, updated_at';

type Insert = (values: unknown[]) => Promise<unknown>;
let insert: Insert;
if (target.startsWith('postgres')) {
  const pool = new Pool({ connectionString: target, max: 10 });
  insert = (values) =>
    pool.query({
      name: 'insert',
      text: `INSERT INTO orders (${columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      values,
    });
} else {
  const db = new Database(target);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const stmt = db.prepare(
    `INSERT INTO orders (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  insert = async (values) => stmt.run(...values);
}

const app = Fastify();
app.post('/orders', async (request, reply) => {
  if (!validate(request.body)) return reply.status(422).send({ errors: validate.errors });
  const body = request.body as { flow: string; data: { customer: { id: string } } };
  const now = new Date().toISOString();
  const order = {
    id: randomUUID(),
    flow: body.flow,
    flowVersion: 1,
    state: 'ping',
    data: body.data,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  await insert([
    order.id,
    order.flow,
    1,
    order.state,
    JSON.stringify(order.data),
    1,
    body.data.customer.id,
    'api',
    null,
    '',
    now,
    now,
  ]);
  return reply.status(201).send(order);
});
app.listen({ port: Number(port), host: '127.0.0.1' }).then(() => console.log('ready'));
