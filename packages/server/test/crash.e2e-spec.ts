/**
 * Effects are never lost: `ordo start` processes working through 500 orders whose flow calls
 * the fake WMS are killed with SIGKILL mid-way; afterwards every effect was delivered, the WMS
 * applied each idempotency key exactly once, and no order is stuck.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { reservationFlow, startFakeSystems } from '@ordo/fake-systems';
import { startOrdoProcess, type OrdoProcess } from './support/ordo-process';
import { databaseKinds, freshDatabase } from './support/test-app';

const ORDERS = 500;
const RETRY = { attempts: 20, backoff: 'PT0.05S', maxBackoff: 'PT0.5S' };
jest.setTimeout(120_000);

async function until(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Creates the orders, 16 at a time. */
async function createOrders(ordo: OrdoProcess): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < ORDERS) {
        const i = next++;
        const res = await ordo.call('POST', '/api/orders', {
          flow: 'crash',
          data: { lines: [{ sku: `S-${i}`, qty: 1 }] },
        });
        if (res.status !== 201) throw new Error(`order ${i}: ${JSON.stringify(res.body)}`);
      }
    }),
  );
}

/** Every order reserved once, every effect done, each key applied once by the WMS. */
async function expectNothingLost(ordo: OrdoProcess, keys: () => Promise<any>): Promise<void> {
  await until(
    async () =>
      (await ordo.call('GET', '/api/orders?flow=crash&state=new&limit=1')).body.items.length === 0,
    60_000,
    'every order to be reserved',
  );
  const orders = (await ordo.call('GET', `/api/orders?flow=crash&limit=${ORDERS}`)).body.items;
  expect(orders).toHaveLength(ORDERS);
  expect(
    orders.every((o: any) => o.state === 'reserved' && /^R-\d+$/.test(o.data.reservation.id)),
  ).toBe(true);
  const effects = (await ordo.call('GET', '/api/effects?limit=500')).body.items;
  expect(effects.filter((e: any) => e.status !== 'done')).toEqual([]);
  expect(effects).toHaveLength(ORDERS);
  const { received, applied } = await keys();
  const expected = effects.map((e: any) => e.idempotencyKey).sort();
  expect([...applied].sort()).toEqual(expected);
  expect(Object.keys(received).sort()).toEqual(expected);
  // Distinct reservations: no order's stock was taken twice.
  expect(new Set(orders.map((o: any) => o.data.reservation.id)).size).toBe(ORDERS);
}

const adminKey = `crash-admin-${randomBytes(8).toString('hex')}`;

describe.each(databaseKinds())('effects survive a SIGKILL on %s', (db) => {
  it('embedded: kill mid-way, restart, nothing lost, nothing applied twice', async () => {
    const fake = await startFakeSystems({ wms: { latencyMs: 150 } });
    const fresh = await freshDatabase(db);
    const env = {
      DATABASE_URL:
        fresh.database.kind === 'sqlite' ? `sqlite:${fresh.database.file}` : fresh.database.url,
      ORDO_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'ordo-crash-')),
      ORDO_OUTBOUND_ALLOW: '127.0.0.1:*',
    };
    const wms = fake.systems.wms;
    let second: OrdoProcess | undefined;
    try {
      const first = await startOrdoProcess(env, adminKey);
      await first.call('POST', '/api/flows', reservationFlow(fake.urls.wms, 'crash', RETRY));
      await first.call('POST', '/api/flows/crash/publish', {});
      await createOrders(first);
      await until(async () => wms.keys().applied.length >= ORDERS / 3, 30_000, 'a third applied');
      await first.kill('SIGKILL');
      const appliedAtKill = wms.keys().applied.length;
      expect(appliedAtKill).toBeLessThan(ORDERS);

      second = await startOrdoProcess(env, adminKey);
      await expectNothingLost(second, async () => wms.keys());
    } finally {
      await second?.kill();
      await fake.close();
      await fresh.drop();
    }
  });
});

const cluster = process.env.DATABASE_URL?.startsWith('postgres') && process.env.REDIS_URL;
(cluster ? describe : describe.skip)('effects survive a SIGKILL in cluster mode', () => {
  it('two processes share the outbox; one is killed, the other finishes its work', async () => {
    const fake = await startFakeSystems({ wms: { latencyMs: 150 } });
    const fresh = await freshDatabase('postgres');
    const env = {
      DATABASE_URL: (fresh.database as { url: string }).url,
      REDIS_URL: process.env.REDIS_URL!,
      ORDO_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'ordo-crash-')),
      ORDO_OUTBOUND_ALLOW: '127.0.0.1:*',
      ORDO_EFFECT_LEASE_MS: '1500',
      ORDO_SECRET_KEY: 'cluster-secret-key-0123456789abcdef',
    };
    const wms = fake.systems.wms;
    const processes: OrdoProcess[] = [];
    try {
      processes.push(await startOrdoProcess(env, adminKey));
      processes.push(await startOrdoProcess(env, adminKey));
      const [a, b] = processes;
      await a.call('POST', '/api/flows', reservationFlow(fake.urls.wms, 'crash', RETRY));
      await a.call('POST', '/api/flows/crash/publish', {});
      await createOrders(a);
      await until(async () => wms.keys().applied.length >= ORDERS / 3, 30_000, 'a third applied');
      await a.kill('SIGKILL');
      await expectNothingLost(b, async () => wms.keys()).catch(async (error) => {
        const counts = (await b.call('GET', '/api/effects?limit=500')).body.items.reduce(
          (n: Record<string, number>, e: { status: string }) => ({
            ...n,
            [e.status]: (n[e.status] ?? 0) + 1,
          }),
          {},
        );
        throw new Error(
          `${error.message}; effects ${JSON.stringify(counts)}; B said: ${b.output().slice(-2000)}`,
        );
      });
    } finally {
      for (const p of processes) await p.kill();
      await fake.close();
      await fresh.drop();
    }
  });
});
