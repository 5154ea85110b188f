import { newDatabaseName, STALE_MS, staleDatabases } from './sim-database';

describe('throw-away database names', () => {
  const now = Date.parse('2026-12-06T20:00:00Z');

  it('tells each name its creation time: only our names over a day old are stale', () => {
    const fresh = newDatabaseName(now - 60_000);
    const old = newDatabaseName(now - STALE_MS - 60_000);
    expect(fresh).toMatch(/^ordo_sim_[0-9a-z]+_[0-9a-f]{12}$/);
    expect(staleDatabases([fresh, old], now)).toEqual([old]);
  });

  it('never picks a database of another form, however it starts', () => {
    const old = newDatabaseName(now - 2 * STALE_MS);
    expect(
      staleDatabases(
        [
          'ordo_sim_keep_me',
          'ordo_sim_0a1b2c3d4e5f',
          `${old}_copy`,
          old.replace('ordo_sim_', 'ordo_simx_'),
          'orders',
          old.toUpperCase(),
        ],
        now,
      ),
    ).toEqual([]);
  });
});
