import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import bcrypt from 'bcryptjs';
import type { Actor } from '@ordo/engine';
import { AuditLog } from '../audit/audit-log';
import { ORDO_CONFIG } from '../config/config.module';
import type { OrdoConfig } from '../config/ordo-config';
import { DomainEvents } from '../events/domain-events';
import { problems } from '../problems/api-problem';
import { type Principal, PrincipalsRepository } from './principals.repository';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
/**
 * How long a principal's state (roles, disabled, generation) read for a request is trusted.
 * A change made in this process drops it at once; other processes of a cluster see it within
 * this time.
 */
export const PRINCIPAL_CACHE_MS = 2_000;

/** The public view of a principal: never a hash or a secret. */
export function publicPrincipal(p: Principal) {
  return {
    id: p.id,
    kind: p.kind,
    name: p.name,
    email: p.email ?? undefined,
    keyPrefix: p.keyPrefix ?? undefined,
    roles: p.roles,
    createdAt: p.createdAt,
    revokedAt: p.revokedAt ?? undefined,
    disabled: p.kind === 'user' ? Boolean(p.disabledAt) : undefined,
    disabledAt: p.disabledAt ?? undefined,
    createdBy: p.createdBy ?? undefined,
  };
}

/**
 * Who is calling: API keys (stored as SHA-256 hashes), login tokens (JWT, signed with the
 * server's secret) for people (bcrypt-hashed passwords), and `ORDO_ADMIN_KEY`.
 */
@Injectable()
export class AuthService {
  private readonly keyCache = new Map<string, { actor: Actor | null; until: number }>();
  private readonly principalCache = new Map<
    string,
    { principal: Promise<Principal | undefined>; until: number }
  >();

  constructor(
    private readonly principals: PrincipalsRepository,
    private readonly jwt: JwtService,
    @Inject(ORDO_CONFIG) private readonly config: OrdoConfig,
    events: DomainEvents,
    private readonly audit: AuditLog,
  ) {
    events.on('principal.changed', ({ id }) => this.forget(id));
  }

  /** Drops what this process knows of a principal (after a change to it). */
  forget(id: string): void {
    this.principalCache.delete(id);
    this.keyCache.clear();
  }

  /** A principal's current state, read at most every {@link PRINCIPAL_CACHE_MS}. */
  private current(id: string): Promise<Principal | undefined> {
    const cached = this.principalCache.get(id);
    if (cached && cached.until > Date.now()) return cached.principal;
    const principal = this.principals.byId(id);
    this.principalCache.set(id, { principal, until: Date.now() + PRINCIPAL_CACHE_MS });
    principal.catch(() => this.principalCache.delete(id));
    if (this.principalCache.size > 10_000) this.principalCache.clear();
    return principal;
  }

  /**
   * The roles a key acts with: its own, but never more than its creator's now — and none when
   * its creator is disabled or gone. Keys an admin (or no recorded creator) made keep theirs.
   */
  private async keyActor(key: Principal): Promise<Actor | null> {
    if (!key.createdBy || key.createdBy === 'admin-key') return { id: key.id, roles: key.roles };
    const creator = await this.current(key.createdBy);
    if (!creator || creator.disabledAt || creator.revokedAt) return null;
    if (creator.roles.includes('admin')) return { id: key.id, roles: key.roles };
    return { id: key.id, roles: key.roles.filter((r) => creator.roles.includes(r)) };
  }

  /** The actor a bearer token stands for, or null when it stands for nobody. */
  async authenticate(token: string): Promise<Actor | null> {
    const admin = this.config.adminKey;
    if (
      admin &&
      token.length === admin.length &&
      timingSafeEqual(Buffer.from(token), Buffer.from(admin))
    )
      return { id: 'admin-key', roles: ['admin'] };
    if (token.split('.').length === 3) return this.fromJwt(token);
    const hash = sha256(token);
    const cached = this.keyCache.get(hash);
    if (cached && cached.until > Date.now()) return cached.actor;
    const principal = await this.principals.byKeyHash(hash);
    const actor = principal ? await this.keyActor(principal) : null;
    this.keyCache.set(hash, { actor, until: Date.now() + PRINCIPAL_CACHE_MS });
    return actor;
  }

  /** A login token stands for its person while they exist, are enabled and of its generation. */
  private async fromJwt(token: string): Promise<Actor | null> {
    try {
      const claims = await this.jwt.verifyAsync<{ sub: string; gen?: number }>(token);
      const principal = await this.current(claims.sub);
      return principal &&
        !principal.revokedAt &&
        !principal.disabledAt &&
        (claims.gen ?? 0) === principal.generation
        ? { id: principal.id, roles: principal.roles }
        : null;
    } catch {
      return null;
    }
  }

  /** Whether the first-run owner account still has to be created. */
  async setupNeeded(): Promise<boolean> {
    return (await this.principals.countUsers()) === 0;
  }

  /** Creates the owner (an admin) — only while no user exists. */
  async setupOwner(input: { email: string; password: string; name: string }) {
    const passwordHash = await bcrypt.hash(input.password, 10);
    return this.principals.transaction(async (tx) => {
      if ((await this.principals.countUsers(tx)) > 0)
        throw problems.conflict(
          'setup_done',
          'The owner account exists already: sign in, or ask an admin for an account',
        );
      const owner: Principal = this.newPrincipal('user', input.name, ['admin'], {
        email: input.email,
        passwordHash,
      });
      await this.principals.insert(owner, tx);
      await this.audit.record(
        {
          actor: owner.id,
          entity: 'user',
          entityId: owner.id,
          action: 'created',
          after: publicPrincipal(owner),
        },
        tx,
      );
      return { user: publicPrincipal(owner), token: await this.sign(owner) };
    });
  }

  /** Signs a person in; the same answer for an unknown email and a wrong password. */
  async login(email: string, password: string) {
    const user = await this.principals.byEmail(email);
    const ok =
      user?.passwordHash &&
      !user.revokedAt &&
      !user.disabledAt &&
      (await bcrypt.compare(password, user.passwordHash));
    if (!user || !ok) throw problems.unauthorized('Wrong email or password');
    return { user: publicPrincipal(user), token: await this.sign(user) };
  }

  /** Adds a person with roles (admin only). */
  async createUser(input: { email: string; password: string; name: string; roles: string[] }) {
    if (await this.principals.byEmail(input.email))
      throw problems.conflict('email_taken', `A user with the email ${input.email} exists already`);
    const user = this.newPrincipal('user', input.name, input.roles, {
      email: input.email,
      passwordHash: await bcrypt.hash(input.password, 10),
    });
    await this.principals.insert(user);
    return publicPrincipal(user);
  }

  async principal(id: string) {
    const p = await this.principals.byId(id);
    return p ? publicPrincipal(p) : { id, kind: 'key' as const, name: id, roles: ['admin'] };
  }

  private sign(p: Principal): Promise<string> {
    return this.jwt.signAsync({ sub: p.id, roles: p.roles, gen: p.generation });
  }

  /** A new principal's record (not yet stored). */
  newPrincipal(
    kind: 'user' | 'key',
    name: string,
    roles: string[],
    extra: Partial<Principal>,
  ): Principal {
    return {
      id: randomUUID(),
      kind,
      name,
      email: null,
      passwordHash: null,
      keyPrefix: null,
      keyHash: null,
      roles: [...new Set(roles)],
      createdAt: new Date().toISOString(),
      revokedAt: null,
      disabledAt: null,
      generation: 0,
      createdBy: null,
      ...extra,
    };
  }
}
