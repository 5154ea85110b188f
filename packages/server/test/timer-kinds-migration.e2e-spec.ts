import { createDataSource } from '../src/database/data-source';
import { migrations } from '../src/database/migrations';
import { TimerKinds1764870000000 } from '../src/database/migrations/1764870000000-timer-kinds';
import { databaseKinds, freshDatabase } from './support/test-app';

describe.each(databaseKinds())('the timer-kinds migration on %s', (kind) => {
  it('gives the timers stored before it their kind, read once from the prefix of their id', async () => {
    const fresh = await freshDatabase(kind);
    const ds = createDataSource(fresh.database, 2);
    try {
      await ds.initialize();
      await ds.runMigrations();
      // Back to the shape before kinds were a column (undoing the later ones too), with timers
      // stored in it.
      for (const _ of migrations.slice(migrations.indexOf(TimerKinds1764870000000)))
        await ds.undoLastMigration();
      const at = '2026-01-01T00:00:00.000Z';
      for (const [order, timer] of [
        ['o1', 'sla:review'],
        ['o1', 'poll:bank-poll'],
        ['o2', 'blocked:approval'],
      ])
        await ds.query(
          `INSERT INTO timers (order_id, timer, state, due_at) VALUES (${kind === 'postgres' ? '$1, $2, $3, $4' : '?, ?, ?, ?'})`,
          [order, timer, 'review', at],
        );
      await ds.runMigrations();
      const rows: { timer: string; kind: string }[] = await ds.query(
        'SELECT timer, kind FROM timers ORDER BY timer',
      );
      expect(rows).toEqual([
        { timer: 'blocked:approval', kind: 'blocked' },
        { timer: 'poll:bank-poll', kind: 'poll' },
        { timer: 'sla:review', kind: 'sla' },
      ]);
    } finally {
      if (ds.isInitialized) await ds.destroy();
      await fresh.drop();
    }
  });
});
