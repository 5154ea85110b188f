import { Inject, Injectable } from '@nestjs/common';
import { DB } from '../database/database.module';
import type { Db } from '../database/db';

/** A named setting of a list page (filters, search), kept per person; shared ones by everyone. */
export interface SavedView {
  id: number;
  page: string;
  name: string;
  settings: Record<string, unknown>;
  shared: boolean;
  owner: string;
  updatedAt: string;
}

const view = (r: Record<string, unknown>): SavedView => ({
  id: Number(r.id),
  page: r.page as string,
  name: r.name as string,
  settings: JSON.parse(r.settings as string),
  shared: Boolean(Number(r.shared)),
  owner: r.owner as string,
  updatedAt: r.updated_at as string,
});

@Injectable()
export class ViewsRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  /** The person's own views of a page and the ones others share, by name. */
  async list(page: string, owner: string): Promise<SavedView[]> {
    const rows = await this.db.query(
      'SELECT * FROM saved_views WHERE page = ? AND (owner = ? OR shared = 1) ORDER BY name, id',
      [page, owner],
    );
    return rows.map(view);
  }

  /** Saves the person's view under its name, replacing one of the same name. */
  async save(v: Omit<SavedView, 'id'>): Promise<SavedView> {
    const [row] = await this.db.query(
      `INSERT INTO saved_views (owner, page, name, settings, shared, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (owner, page, name) DO UPDATE
       SET settings = excluded.settings, shared = excluded.shared, updated_at = excluded.updated_at
       RETURNING *`,
      [v.owner, v.page, v.name, JSON.stringify(v.settings), v.shared ? 1 : 0, v.updatedAt],
    );
    return view(row);
  }

  async get(id: number): Promise<SavedView | undefined> {
    const [row] = await this.db.query('SELECT * FROM saved_views WHERE id = ?', [id]);
    return row && view(row);
  }

  async delete(id: number): Promise<void> {
    await this.db.run('DELETE FROM saved_views WHERE id = ?', [id]);
  }
}
