import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { orderData, publishFlow } from './support/flows';
import { databaseKinds, startTestApp, type TestApp } from './support/test-app';

interface Operation {
  summary?: string;
  tags?: string[];
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: unknown;
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}
type Document = {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
};

const METHODS = ['get', 'put', 'post', 'patch', 'delete'];
const PROBLEM_REF = '#/components/schemas/Problem';

/** Every operation of the document as `METHOD /path`. */
const operationsOf = (doc: Document) =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, operation]) => ({ name: `${method.toUpperCase()} ${path}`, path, operation })),
  );

/** What an operation's documentation lacks (empty: complete). */
function gaps(path: string, op: Operation): string[] {
  const found: string[] = [];
  if (!op.summary) found.push('no summary (@Summary)');
  if (!op.tags?.length) found.push('no tag (@ApiTags)');
  const success = Object.entries(op.responses).filter(([status]) => /^2\d\d$/.test(status));
  if (!success.length) found.push('no 2xx answer (@Answers)');
  for (const [status, answer] of success) {
    const schema = Object.values(answer.content ?? {})[0]?.schema;
    if (status !== '204' && !schema) found.push(`${status} answer without a schema (@Answers)`);
    if (status === '204' && answer.content) found.push('204 answer with a body');
  }
  const problems = Object.entries(op.responses).filter(([status]) => /^[45]\d\d$/.test(status));
  if (!problems.length) found.push('no problem answers (@Problems)');
  for (const [status, answer] of problems)
    if ((answer.content?.['application/problem+json']?.schema as any)?.$ref !== PROBLEM_REF)
      found.push(`${status} is not application/problem+json with the Problem schema`);
  if (op.security?.length && !(op.responses['401'] && op.responses['403']))
    found.push('authenticated, without 401 and 403');
  if (op.requestBody && !op.responses['422']) found.push('takes a body, without 422 (@Problems)');
  if (op.requestBody && !(op.responses['413'] && op.responses['415']))
    found.push('takes a body, without 413 and 415');
  const declared = new Set(
    op.parameters?.filter((p) => p.in === 'path' && p.required).map((p) => p.name),
  );
  for (const [, name] of path.matchAll(/\{(\w+)\}/g))
    if (!declared.has(name)) found.push(`path parameter ${name} undeclared (or not required)`);
  return found;
}

/** Every `$ref` in the document, with where it is. */
function refsOf(value: unknown, at = ''): { at: string; ref: string }[] {
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, v]) =>
    key === '$ref' && typeof v === 'string'
      ? [{ at, ref: v }]
      : refsOf(v, `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`),
  );
}

/** The value a local `$ref` (`#/a/b`) points at, or undefined. */
function resolve(doc: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  return ref
    .slice(2)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], doc);
}

describe.each(databaseKinds())('the OpenAPI document (%s)', (db) => {
  let app: TestApp;
  let doc: Document;
  let ajv: Ajv;
  /** Checks a real answer against the schema its operation documents for its status. */
  const conforms = (
    method: string,
    path: string,
    answer: { status: number; body: unknown },
    /** The status expected (default: a success). */
    status?: number,
  ) => {
    if (status === undefined) expect(answer.status).toBeLessThan(300);
    else expect(answer.status).toBe(status);
    const response = doc.paths[path][method].responses[String(answer.status)];
    expect(response).toBeDefined();
    const [media] = Object.keys(response.content ?? {});
    if (!media)
      throw new Error(`${method.toUpperCase()} ${path} ${answer.status} documents no body`);
    // The documented schema itself, by its place in the document (its $refs resolve there).
    const pointer = ['paths', path, method, 'responses', String(answer.status), 'content', media]
      .map((part) => encodeURIComponent(part.replace(/~/g, '~0').replace(/\//g, '~1')))
      .join('/');
    const validate = ajv.compile({ $ref: `https://ordo.dev/openapi#/${pointer}/schema` });
    if (!validate(answer.body))
      throw new Error(
        `${method.toUpperCase()} ${path} ${answer.status} does not match its schema: ${ajv.errorsText(validate.errors)}`,
      );
  };

  beforeAll(async () => {
    app = await startTestApp({ db });
    await publishFlow(app);
    doc = (await app.call('GET', '/api/docs/json', undefined, { as: '' })).body;
    ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ ...doc, $id: 'https://ordo.dev/openapi' });
  });
  afterAll(() => app.close());

  it('is served at /api/docs/json (and its UI at /api/docs) without credentials', async () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: 'Ordo API', version: '1' });
    const ui = await fetch(`${app.url}/api/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
  });

  it('documents every operation: summary, tag, a 2xx answer with its schema, its problems', () => {
    const operations = operationsOf(doc);
    expect(operations.length).toBeGreaterThan(80);
    const missing = operations
      .map(({ name, path, operation }) => ({ name, gaps: gaps(path, operation) }))
      .filter((o) => o.gaps.length)
      .map((o) => `${o.name}: ${o.gaps.join('; ')}`);
    expect(missing).toEqual([]);
  });

  it('is structurally valid: unique operation ids, every $ref resolves', () => {
    expect(Object.keys(doc.paths).every((p) => p.startsWith('/api/'))).toBe(true);
    const ids = operationsOf(doc).map((o) => (o.operation as { operationId?: string }).operationId);
    expect(ids.every(Boolean)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const dangling = refsOf(doc)
      .filter(({ ref }) => resolve(doc, ref) === undefined)
      .map(({ at, ref }) => `${at}: ${ref}`);
    expect(dangling).toEqual([]);
    // Every component compiles as a JSON Schema (so a client generator can use it).
    for (const name of Object.keys(doc.components.schemas))
      expect(() =>
        ajv.getSchema(`https://ordo.dev/openapi#/components/schemas/${name}`),
      ).not.toThrow();
  });

  it('documents the orders list query: filters, paging and sort', () => {
    const names = doc.paths['/api/orders'].get.parameters!.map((p) => `${p.in}:${p.name}`);
    for (const name of ['flow', 'state', 'customer', 'q', 'createdFrom', 'sort', 'limit', 'cursor'])
      expect(names).toContain(`query:${name}`);
  });

  it('describes what the server really answers', async () => {
    conforms('get', '/api/health', await app.call('GET', '/api/health', undefined, { as: '' }));
    conforms('get', '/api/flows', await app.call('GET', '/api/flows'));
    conforms('get', '/api/flows/{key}', await app.call('GET', '/api/flows/standard-order'));
    const created = await app.call('POST', '/api/orders', {
      flow: 'standard-order',
      data: orderData(),
    });
    conforms('post', '/api/orders', created);
    conforms('get', '/api/orders', await app.call('GET', '/api/orders?limit=5'));
    const id = created.body.id as string;
    conforms('get', '/api/orders/{id}', await app.call('GET', `/api/orders/${id}`));
    conforms('get', '/api/orders/{id}/history', await app.call('GET', `/api/orders/${id}/history`));
    conforms(
      'get',
      '/api/orders/{id}/transitions',
      await app.call('GET', `/api/orders/${id}/transitions`),
    );
    conforms('get', '/api/auth/me', await app.call('GET', '/api/auth/me'));
    conforms('get', '/api/orders/{id}/effects', await app.call('GET', `/api/orders/${id}/effects`));
    conforms('get', '/api/orders/{id}/timers', await app.call('GET', `/api/orders/${id}/timers`));
    conforms(
      'get',
      '/api/flows/{key}/analytics',
      await app.call('GET', '/api/flows/standard-order/analytics'),
    );
    conforms(
      'post',
      '/api/credentials',
      await app.call('POST', '/api/credentials', {
        name: 'crm',
        secret: { token: 'a-secret' },
        hosts: ['crm.example:443'],
      }),
    );
    conforms(
      'put',
      '/api/views/{page}/{name}',
      await app.call('PUT', '/api/views/orders/mine', { settings: { state: 'new' } }),
    );
    conforms(
      'post',
      '/api/keys',
      await app.call('POST', '/api/keys', { name: 'ci', roles: ['viewer'] }),
    );
    const [template] = (await app.call('GET', '/api/templates')).body.items;
    conforms('get', '/api/templates/{id}', await app.call('GET', `/api/templates/${template.id}`));
    // Problems: a 404, a 422, a 400 and a 401 match the Problem schema they are documented with.
    const missing = await app.call('GET', '/api/orders/no-such-order');
    conforms('get', '/api/orders/{id}', missing, 404);
    const refused = await app.call('POST', '/api/orders', { flow: 'standard-order' });
    conforms('post', '/api/orders', refused, 422);
    const badQuery = await app.call('GET', '/api/orders?sort=sideways');
    conforms('get', '/api/orders', badQuery, 400);
    const anonymous = await app.call('GET', '/api/orders', undefined, { as: '' });
    conforms('get', '/api/orders', anonymous, 401);
  });

  it('answers every parameterless GET as its documented schema says', async () => {
    const checked: string[] = [];
    for (const { path, operation } of operationsOf(doc)) {
      const get = doc.paths[path].get;
      if (operation !== get || path.includes('{')) continue;
      if (get.parameters?.some((p) => (p as { required?: boolean }).required)) continue;
      const answer = await app.call('GET', path);
      const media = Object.keys(get.responses[String(answer.status)]?.content ?? {})[0];
      if (media !== 'application/json') continue;
      conforms('get', path, answer);
      checked.push(path);
    }
    expect(checked).toEqual(expect.arrayContaining(['/api/effects', '/api/tasks', '/api/audit']));
  });

  it('names the operation that lacks documentation', () => {
    const bare: Operation = { responses: { '201': { content: {} } }, security: [{}] };
    expect(gaps('/api/things/{id}', bare)).toEqual([
      'no summary (@Summary)',
      'no tag (@ApiTags)',
      '201 answer without a schema (@Answers)',
      'no problem answers (@Problems)',
      'authenticated, without 401 and 403',
      'path parameter id undeclared (or not required)',
    ]);
  });
});
