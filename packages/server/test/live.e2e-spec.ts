import { io, type Socket } from 'socket.io-client';
import { orderData, publishFlow } from './support/flows';
import { databaseKinds, freshDatabase, startTestApp, type TestApp } from './support/test-app';

function connect(url: string, token: string | undefined): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(`${url}/live`, {
      transports: ['websocket'],
      auth: token ? { token } : {},
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

/** Collects the events a socket receives. */
function recorder(socket: Socket) {
  const seen: { name: string; body: any }[] = [];
  socket.onAny((name, body) => seen.push({ name, body }));
  return {
    seen,
    async until(predicate: () => boolean, ms = 3000) {
      const end = Date.now() + ms;
      while (!predicate()) {
        if (Date.now() > end)
          throw new Error(`timed out; saw ${JSON.stringify(seen.map((s) => s.name))}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
}

describe('live events', () => {
  let app: TestApp;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    app = await startTestApp({ db: 'sqlite' });
    await publishFlow(app);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await app.close();
  });

  it('refuses a connection without valid credentials', async () => {
    await expect(connect(app.url, undefined)).rejects.toThrow(/unauthorized/);
    await expect(connect(app.url, 'wrong')).rejects.toThrow(/unauthorized/);
  });

  it('refuses unknown subscriptions with a reason', async () => {
    const socket = await connect(app.url, app.adminKey);
    sockets.push(socket);
    expect(await subscribe(socket, { planet: 'mars' })).toEqual({
      ok: false,
      error: expect.stringContaining('unknown subscription'),
    });
    expect(await subscribe(socket, { flow: 'standard-order' })).toEqual({
      ok: true,
      rooms: ['flow:standard-order'],
    });
  });

  it('delivers created, transitioned and updated events to the flow and order rooms, after commit only', async () => {
    const viewer = (await app.call('POST', '/api/keys', { name: 'wall', roles: ['viewer'] })).body
      .key;
    const flowWatcher = await connect(app.url, viewer);
    const other = await connect(app.url, app.adminKey);
    sockets.push(flowWatcher, other);
    await subscribe(flowWatcher, { flow: 'standard-order' });
    await subscribe(other, { flow: 'another-flow' });
    const flowEvents = recorder(flowWatcher);
    const otherEvents = recorder(other);

    const { body: order } = await app.call('POST', '/api/orders', {
      flow: 'standard-order',
      data: orderData(),
    });
    await flowEvents.until(() => flowEvents.seen.some((e) => e.name === 'order.created'));
    const orderWatcher = await connect(app.url, viewer);
    sockets.push(orderWatcher);
    await subscribe(orderWatcher, { order: order.id });
    const orderEvents = recorder(orderWatcher);

    await app.call('POST', `/api/orders/${order.id}/events`, { type: 'review' }); // refused: no event from new
    await app.call('POST', `/api/orders/${order.id}/events`, { type: 'confirm' });
    await app.call('PATCH', `/api/orders/${order.id}`, { carrier: 'SF' });
    await orderEvents.until(() => orderEvents.seen.some((e) => e.name === 'order.updated'));

    expect(orderEvents.seen.map((e) => e.name)).toEqual(['order.transitioned', 'order.updated']);
    expect(orderEvents.seen[0].body).toMatchObject({
      from: 'new',
      to: 'customer_confirmed',
      transition: 'confirm',
      event: 'confirm',
      version: 2,
      order: { id: order.id },
    });
    expect(typeof orderEvents.seen[0].body.at).toBe('string');
    await flowEvents.until(() => flowEvents.seen.length === 3);
    expect(flowEvents.seen.map((e) => e.name)).toEqual([
      'order.created',
      'order.transitioned',
      'order.updated',
    ]);
    expect(otherEvents.seen).toEqual([]);
  });

  it('announces publications to the flow room and to all-flows subscribers', async () => {
    const socket = await connect(app.url, app.adminKey);
    sockets.push(socket);
    await subscribe(socket, { flows: true });
    const events = recorder(socket);
    await app.call('POST', '/api/flows/standard-order/publish', {});
    await events.until(() => events.seen.length === 1);
    expect(events.seen[0]).toMatchObject({
      name: 'flow.published',
      body: { flow: 'standard-order', version: 2 },
    });
  });
});

const cluster =
  databaseKinds().includes('postgres') && process.env.REDIS_URL ? describe : describe.skip;

cluster('live events in cluster mode (PostgreSQL + Redis)', () => {
  it('reach the clients of another server process through the Redis adapter', async () => {
    const fresh = await freshDatabase('postgres');
    const config = { redisUrl: process.env.REDIS_URL };
    const a = await startTestApp({ db: 'postgres', database: fresh.database, config });
    const b = await startTestApp({
      db: 'postgres',
      database: fresh.database,
      config: { ...config, adminKey: a.adminKey },
    });
    try {
      await publishFlow(a);
      const socket = await connect(b.url, a.adminKey);
      await subscribe(socket, { flow: 'standard-order' });
      const events = recorder(socket);
      await a.call('POST', '/api/orders', { flow: 'standard-order', data: orderData() });
      await events.until(() => events.seen.some((e) => e.name === 'order.created'));
      socket.close();
    } finally {
      await a.close();
      await b.close();
      await fresh.drop();
    }
  });
});
