import { Inject, Injectable } from '@nestjs/common';
import { DB } from '../database/database.module';
import type { Db } from '../database/db';
import { problems } from '../problems/api-problem';
import { SecretBox } from './secret-box';
import { DomainEvents } from '../events/domain-events';
import { AuditLog } from '../audit/audit-log';

/** What the API shows of a credential: never the secret, only which fields it has. */
export interface CredentialInfo {
  name: string;
  fields: string[];
  /** Where it may be sent: host:port patterns (`[]`: nowhere). */
  hosts: string[];
  keyId: string;
  createdAt: string;
  updatedAt: string;
}

const info = (r: Record<string, unknown>): CredentialInfo => ({
  name: r.name as string,
  fields: JSON.parse(r.fields as string),
  hosts: JSON.parse(r.hosts as string),
  keyId: r.key_id as string,
  createdAt: r.created_at as string,
  updatedAt: r.updated_at as string,
});

/** Connector credentials, sealed at rest; only the runtime ever opens them. */
@Injectable()
export class CredentialsService {
  constructor(
    @Inject(DB) private readonly db: Db,
    private readonly box: SecretBox,
    private readonly events: DomainEvents,
    private readonly audit: AuditLog,
  ) {}

  /**
   * Stores a credential with the hosts it may be sent to, or replaces the one with that name.
   * `created` is true when it is new. `hosts` are checked patterns (checkHostPatterns).
   */
  async save(name: string, secret: Record<string, string>, hosts: string[], by: string) {
    const sealed = this.box.seal(JSON.stringify(secret));
    const now = new Date().toISOString();
    const fields = JSON.stringify(Object.keys(secret).sort());
    const hostList = JSON.stringify(hosts);
    const created = await this.db.transaction(async (tx) => {
      const changed = await tx.run(
        'UPDATE credentials SET key_id = ?, iv = ?, tag = ?, ciphertext = ?, fields = ?, hosts = ?, updated_at = ?, updated_by = ? WHERE name = ?',
        [sealed.keyId, sealed.iv, sealed.tag, sealed.ciphertext, fields, hostList, now, by, name],
      );
      if (!changed)
        await tx.run(
          'INSERT INTO credentials (name, key_id, iv, tag, ciphertext, fields, hosts, created_at, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [
            name,
            sealed.keyId,
            sealed.iv,
            sealed.tag,
            sealed.ciphertext,
            fields,
            hostList,
            now,
            now,
            by,
          ],
        );
      // The secret's field names and the hosts only: never a value.
      await this.audit.record(
        {
          actor: by,
          entity: 'credential',
          entityId: name,
          action: changed ? 'replaced' : 'created',
          after: { name, fields: JSON.parse(fields), hosts },
        },
        tx,
      );
      return !changed;
    });
    this.events.emit('credential.saved', { name, hosts });
    return { created, credential: (await this.find(name))! };
  }

  /** Changes where a stored credential may be sent; its secret stays as it is. */
  async setHosts(name: string, hosts: string[], by: string): Promise<CredentialInfo> {
    const before = await this.find(name);
    if (!before) throw problems.notFound('Credential', name);
    await this.db.transaction(async (tx) => {
      await tx.run(
        'UPDATE credentials SET hosts = ?, updated_at = ?, updated_by = ? WHERE name = ?',
        [JSON.stringify(hosts), new Date().toISOString(), by, name],
      );
      await this.audit.record(
        {
          actor: by,
          entity: 'credential',
          entityId: name,
          action: 'hosts_changed',
          before: { hosts: before.hosts },
          after: { hosts },
        },
        tx,
      );
    });
    this.events.emit('credential.saved', { name, hosts });
    return (await this.find(name))!;
  }

  async list(): Promise<CredentialInfo[]> {
    return (await this.db.query('SELECT * FROM credentials ORDER BY name')).map(info);
  }

  async find(name: string): Promise<CredentialInfo | undefined> {
    const [row] = await this.db.query('SELECT * FROM credentials WHERE name = ?', [name]);
    return row && info(row);
  }

  async remove(name: string, by: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const [row] = await tx.query('SELECT * FROM credentials WHERE name = ?', [name]);
      if (!row) throw problems.notFound('Credential', name);
      await tx.run('DELETE FROM credentials WHERE name = ?', [name]);
      const { fields } = info(row);
      await this.audit.record(
        {
          actor: by,
          entity: 'credential',
          entityId: name,
          action: 'deleted',
          before: { name, fields },
        },
        tx,
      );
    });
  }

  /**
   * What a connector call needs of the instance's credential, spread into runAction's options:
   * the secret fields, the hosts they may be sent to, and the name. None without a credential.
   */
  async forCall(name: string | undefined): Promise<{
    credentials: Record<string, string>;
    credentialHosts?: string[];
    credentialName?: string;
  }> {
    if (!name) return { credentials: {} };
    const credentials = await this.open(name);
    const [row] = await this.db.query('SELECT hosts FROM credentials WHERE name = ?', [name]);
    const credentialHosts = JSON.parse((row?.hosts as string | undefined) ?? '[]') as string[];
    return { credentials, credentialHosts, credentialName: name };
  }

  /** The secret fields, for the runtime only. */
  async open(name: string): Promise<Record<string, string>> {
    const [row] = await this.db.query('SELECT * FROM credentials WHERE name = ?', [name]);
    if (!row) throw new Error(`No credential "${name}" is stored (POST /api/credentials)`);
    return JSON.parse(
      this.box.open({
        keyId: row.key_id as string,
        iv: row.iv as string,
        tag: row.tag as string,
        ciphertext: row.ciphertext as string,
      }),
    );
  }
}
