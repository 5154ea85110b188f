import type { MigrationInterface, QueryRunner } from 'typeorm';
import { autoId } from './auto-id';

/** Saved list settings per person (the order list's views), optionally shared with everyone. */
export class SavedViews1764600000000 implements MigrationInterface {
  name = 'SavedViews1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE saved_views (
      id ${autoId(q)},
      owner VARCHAR(64) NOT NULL,
      page VARCHAR(32) NOT NULL,
      name VARCHAR(100) NOT NULL,
      settings TEXT NOT NULL,
      shared INTEGER NOT NULL,
      updated_at VARCHAR(32) NOT NULL,
      UNIQUE (owner, page, name)
    )`);
    await q.query('CREATE INDEX saved_views_shared ON saved_views (page, shared)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE saved_views');
  }
}
