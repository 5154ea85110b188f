import { Inject, Injectable } from '@nestjs/common';
import type { Audience, Label } from '@ordo/engine';
import { DB } from '../database/database.module';
import type { Db } from '../database/db';
import type { Notification } from '../events/domain-events';

const KINDS = ['role', 'queue', 'user'] as const;
type AudienceKind = (typeof KINDS)[number];

/** The audience as one kind and name (a notify action names exactly one). */
const audienceOf = (to: Audience): [AudienceKind, string] => {
  const kind = KINDS.find((k) => to[k] !== undefined)!;
  return [kind, to[kind]!];
};

const view = (r: Record<string, unknown>): Notification => ({
  id: Number(r.id),
  orderId: r.order_id as string,
  flow: r.flow_key as string,
  to: { [r.audience_kind as AudienceKind]: r.audience as string },
  message: JSON.parse(r.message as string) as Label,
  channels: JSON.parse(r.channels as string),
  createdAt: r.created_at as string,
});

/** The notification list: what each role, queue and person was told, newest first. */
@Injectable()
export class NotificationsRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  /**
   * Stores the notification of an effect, once: a second run of the same effect finds it and
   * returns undefined (so it is not announced twice).
   */
  async insertOnce(
    effectKey: string,
    n: Omit<Notification, 'id' | 'createdAt'>,
    now: string,
  ): Promise<Notification | undefined> {
    const [kind, name] = audienceOf(n.to);
    const rows = await this.db.query(
      `INSERT INTO notifications (effect_key, order_id, flow_key, audience_kind, audience, message, channels, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (effect_key) DO NOTHING RETURNING *`,
      [
        effectKey,
        n.orderId,
        n.flow,
        kind,
        name,
        JSON.stringify(n.message),
        JSON.stringify(n.channels),
        now,
      ],
    );
    return rows[0] && view(rows[0]);
  }

  /** Notifications for any of the audiences (or of one order), newest first, paged by id. */
  async list(filter: {
    audiences?: [AudienceKind, string][];
    orderId?: string;
    limit: number;
    before?: number;
  }) {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.audiences) {
      if (!filter.audiences.length) return { items: [], nextCursor: null };
      where.push(
        `(${filter.audiences.map(() => '(audience_kind = ? AND audience = ?)').join(' OR ')})`,
      );
      params.push(...filter.audiences.flat());
    }
    if (filter.orderId) {
      where.push('order_id = ?');
      params.push(filter.orderId);
    }
    if (filter.before !== undefined) {
      where.push('id < ?');
      params.push(filter.before);
    }
    const rows = await this.db.query(
      `SELECT * FROM notifications ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
      [...params, filter.limit + 1],
    );
    const items = rows.slice(0, filter.limit).map(view);
    return {
      items,
      nextCursor: rows.length > filter.limit ? String(items[items.length - 1].id) : null,
    };
  }
}
