import { io, type Socket } from 'socket.io-client';
import { publishFlow } from './support/flows';
import { PRINCIPAL_CACHE_MS } from '../src/auth/auth.service';
import { databaseKinds, freshDatabase, startTestApp, type TestApp } from './support/test-app';

/** Claims: escalating one opens a task in the finance queue, worked by accountants. */
const claimsFlow = {
  schemaVersion: 1,
  key: 'claims',
  name: 'Claims',
  fields: [{ key: 'title', type: 'string', required: true }],
  states: [{ id: 'new', initial: true }, { id: 'review' }, { id: 'done', final: true }],
  transitions: [
    {
      id: 'escalate',
      from: 'new',
      to: 'review',
      event: 'escalate',
      actions: [{ task: { queue: 'finance', title: 'Refund claim {{title}}' } }],
    },
    { id: 'close', from: 'review', to: 'done', event: 'close' },
  ],
  queues: { finance: { roles: ['accountant'] } },
};

function connect(url: string, token: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(`${url}/live`, {
      transports: ['websocket'],
      auth: { token },
      reconnection: false,
    });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => (socket.close(), reject(error)));
  });
}

const subscribe = (socket: Socket, body: unknown) =>
  socket.emitWithAck('subscribe', body) as Promise<{
    ok: boolean;
    rooms?: string[];
    error?: string;
  }>;

function recorder(socket: Socket) {
  const seen: { name: string; body: any }[] = [];
  socket.onAny((name, body) => seen.push({ name, body }));
  return {
    seen,
    tasks: () => seen.filter((e) => e.name.startsWith('task.')),
    async until(predicate: () => boolean, ms = 5000) {
      const end = Date.now() + ms;
      while (!predicate()) {
        if (Date.now() > end)
          throw new Error(`timed out; saw ${JSON.stringify(seen.map((s) => s.name))}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
}

describe.each(databaseKinds())('live rooms check the access of their REST list on %s', (db) => {
  let app: TestApp;
  const sockets: Socket[] = [];
  const open = async (token: string) => {
    const socket = await connect(app.url, token);
    sockets.push(socket);
    return socket;
  };
  const key = async (roles: string[]) =>
    (await app.call('POST', '/api/keys', { name: roles.join('+'), roles })).body.key as string;
  const person = async (email: string, roles: string[]) => {
    const created = await app.call('POST', '/api/users', {
      email,
      password: 'long enough password',
      name: email,
      roles,
    });
    expect(created.status).toBe(201);
    const login = await app.call(
      'POST',
      '/api/auth/login',
      { email, password: 'long enough password' },
      { as: '' },
    );
    return { id: created.body.id as string, token: login.body.token as string };
  };
  /** Creates a claim and escalates it: a finance task opens. */
  const escalate = async (title: string) => {
    const { body: order } = await app.call('POST', '/api/orders', {
      flow: 'claims',
      data: { title },
    });
    const fired = await app.call('POST', `/api/orders/${order.id}/events`, { type: 'escalate' });
    expect(fired.status).toBe(200);
    return order.id as string;
  };

  beforeAll(async () => {
    app = await startTestApp({ db });
    await publishFlow(app, claimsFlow);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await app.close();
  });

  it('refuses a queue room to a reader without a role of the queue, and admits one with it', async () => {
    const viewer = await open(await key(['viewer']));
    const refused = await subscribe(viewer, { queue: 'finance' });
    expect(refused).toEqual({ ok: false, error: expect.stringMatching(/forbidden.*accountant/) });
    const accountant = await open(await key(['viewer', 'accountant']));
    expect(await subscribe(accountant, { queue: 'finance' })).toEqual({
      ok: true,
      rooms: ['queue:finance'],
    });
    // The queue's own name is a role that works it, as in the task list.
    expect(
      await subscribe(await open(await key(['viewer', 'finance'])), { queue: 'finance' }),
    ).toMatchObject({ ok: true });
    expect(await subscribe(await open(app.adminKey), { queue: 'finance' })).toMatchObject({
      ok: true,
    });
  });

  it('sends a task to the members of its queue only, never to a reader of its order without the role', async () => {
    const accountant = await open(await key(['viewer', 'accountant']));
    await subscribe(accountant, { queue: 'finance' });
    const viewer = await open(await key(['viewer']));
    await subscribe(viewer, { flow: 'claims' });
    const workerEvents = recorder(accountant);
    const viewerEvents = recorder(viewer);
    const orderId = await escalate('wrong size');
    // The viewer may read the order (as GET /api/orders/:id allows) but not its finance task.
    expect(await subscribe(viewer, { order: orderId })).toMatchObject({ ok: true });
    const watcherEvents = recorder(viewer);
    await workerEvents.until(() => workerEvents.tasks().length === 1);
    expect(workerEvents.tasks()[0]).toMatchObject({
      name: 'task.opened',
      body: { task: { queue: 'finance', orderId } },
    });
    await viewerEvents.until(() => viewerEvents.seen.some((e) => e.name === 'order.transitioned'));
    // A later change of the task reaches the order room: still not the viewer.
    const [task] = (await app.call('GET', `/api/tasks?orderId=${orderId}`)).body.items;
    await app.call('POST', `/api/tasks/${task.id}/reassign`, { assignee: 'someone' });
    await workerEvents.until(() => workerEvents.tasks().length === 2);
    await new Promise((r) => setTimeout(r, 100));
    expect(viewerEvents.tasks()).toEqual([]);
    expect(watcherEvents.tasks()).toEqual([]);
    // The REST list agrees: the viewer sees no task of that order.
    const viewerKey = await key(['viewer']);
    expect(
      (await app.call('GET', `/api/tasks?orderId=${orderId}`, undefined, { as: viewerKey })).body
        .items,
    ).toEqual([]);
  });

  it('refuses every room to a principal that may not call the REST lists at all', async () => {
    const businessOnly = await open(await key(['accountant']));
    for (const body of [{ flow: 'claims' }, { flows: true }, { queue: 'finance' }])
      expect(await subscribe(businessOnly, body)).toEqual({
        ok: false,
        error: expect.stringContaining('forbidden'),
      });
    expect(
      (
        await app.call('GET', '/api/orders?flow=claims', undefined, {
          as: await key(['accountant']),
        })
      ).status,
    ).toBe(403);
  });

  it('takes a person out of the rooms of a role an admin removes, and refuses them the queue afterwards', async () => {
    const ann = await person(`ann-${db}@example.com`, ['viewer', 'accountant']);
    const socket = await open(ann.token);
    expect(await subscribe(socket, { queue: 'finance' })).toMatchObject({ ok: true });
    const events = recorder(socket);
    await escalate('first');
    await events.until(() => events.tasks().length === 1);

    const changed = await app.call('PATCH', `/api/users/${ann.id}`, { roles: ['viewer'] });
    expect(changed.status).toBe(200);
    expect(changed.body.roles).toEqual(['viewer']);
    // A witness still in the queue proves the next task was sent.
    const witness = await open(await key(['viewer', 'accountant']));
    await subscribe(witness, { queue: 'finance' });
    const witnessEvents = recorder(witness);
    await new Promise((r) => setTimeout(r, 100));
    await escalate('second');
    await witnessEvents.until(() => witnessEvents.tasks().length === 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(events.tasks()).toHaveLength(1);
    expect(socket.connected).toBe(true);
    expect(await subscribe(socket, { queue: 'finance' })).toMatchObject({ ok: false });
    expect(await subscribe(socket, { flow: 'claims' })).toMatchObject({ ok: true });

    // Given the role back, the person may join again and hears the queue's tasks.
    await app.call('PATCH', `/api/users/${ann.id}`, { roles: ['viewer', 'accountant'] });
    expect(await subscribe(socket, { queue: 'finance' })).toMatchObject({ ok: true });
    await escalate('third');
    await events.until(() => events.tasks().length === 2);
  });

  it('disconnects the live sockets of a person who is disabled, and of a revoked key', async () => {
    const bob = await person(`bob-${db}@example.com`, ['viewer']);
    const socket = await open(bob.token);
    await subscribe(socket, { flow: 'claims' });
    const closed = new Promise((resolve) => socket.once('disconnect', resolve));
    expect((await app.call('PATCH', `/api/users/${bob.id}`, { disabled: true })).status).toBe(200);
    await closed;
    await expect(connect(app.url, bob.token)).rejects.toThrow(/unauthorized/);

    const created = await app.call('POST', '/api/keys', { name: 'wall', roles: ['viewer'] });
    const keySocket = await open(created.body.key);
    const keyClosed = new Promise((resolve) => keySocket.once('disconnect', resolve));
    expect((await app.call('DELETE', `/api/keys/${created.body.id}`)).status).toBe(204);
    await keyClosed;
    await expect(connect(app.url, created.body.key)).rejects.toThrow(/unauthorized/);
  });
});

const cluster =
  databaseKinds().includes('postgres') && process.env.REDIS_URL ? describe : describe.skip;

cluster('people changes reach every process of a cluster (PostgreSQL + Redis)', () => {
  it('a person disabled on one process loses their token and live socket on another', async () => {
    const fresh = await freshDatabase('postgres');
    const config = { redisUrl: process.env.REDIS_URL, jwtSecret: 'shared-cluster-secret-0123' };
    const a = await startTestApp({ db: 'postgres', database: fresh.database, config });
    const b = await startTestApp({
      db: 'postgres',
      database: fresh.database,
      config: { ...config, adminKey: a.adminKey },
    });
    try {
      await publishFlow(a, claimsFlow);
      await a.call('POST', '/api/users', {
        email: 'cleo@example.com',
        password: 'long enough password',
        name: 'Cleo',
        roles: ['viewer', 'accountant'],
      });
      const login = await b.call(
        'POST',
        '/api/auth/login',
        { email: 'cleo@example.com', password: 'long enough password' },
        { as: '' },
      );
      const { id } = login.body.user;
      const token = login.body.token as string;
      const me = () => b.call('GET', '/api/auth/me', undefined, { as: token });
      expect((await me()).status).toBe(200);
      const socket = await connect(b.url, token);
      expect(await subscribe(socket, { queue: 'finance' })).toMatchObject({ ok: true });

      // Roles taken on process A: the socket on process B leaves the queue's task rooms.
      await a.call('PATCH', `/api/users/${id}`, { roles: ['viewer'] });
      const witness = await connect(b.url, a.adminKey);
      await subscribe(witness, { queue: 'finance' });
      const events = recorder(socket);
      const witnessEvents = recorder(witness);
      await new Promise((r) => setTimeout(r, 200));
      const { body: order } = await a.call('POST', '/api/orders', {
        flow: 'claims',
        data: { title: 'x' },
      });
      await a.call('POST', `/api/orders/${order.id}/events`, { type: 'escalate' });
      await witnessEvents.until(() => witnessEvents.tasks().length === 1);
      await new Promise((r) => setTimeout(r, 100));
      expect(events.tasks()).toEqual([]);

      const closed = new Promise((resolve) => socket.once('disconnect', resolve));
      await a.call('PATCH', `/api/users/${id}`, { disabled: true });
      await closed;
      // Process B trusts what it read of the person for at most PRINCIPAL_CACHE_MS.
      await new Promise((r) => setTimeout(r, PRINCIPAL_CACHE_MS));
      expect((await me()).status).toBe(401);
      witness.close();
    } finally {
      await a.close();
      await b.close();
      await fresh.drop();
    }
  });
});
