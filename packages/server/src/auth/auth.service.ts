import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { Actor } from '@ordo/engine';
import { AuditLog } from '../audit/audit-log';
import { ORDO_CONFIG } from '../config/config.module';
import type { OrdoConfig } from '../config/ordo-config';
import { DomainEvents } from '../events/domain-events';
import { problems } from '../problems/api-problem';
import { hashPassword, passwordTooLong, verifyPassword } from './password-hash';
import { type Principal, PrincipalsRepository } from './principals.repository';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
/** How long a login token lives (its `exp` is `iat` plus this). */
export const TOKEN_LIFETIME_SECONDS = 12 * 60 * 60;

/** The password, if it is not over the byte limit; else throws a 422 at `/password`. */
function checkedPassword(password: string): string {
  const tooLong = passwordTooLong(password);
  if (tooLong) throw tooLong;
  return password;
}

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
 * server's secret, always with an expiry) for people (scrypt-hashed passwords, see
 * password-hash.ts), and `ORDO_ADMIN_KEY`.
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
    if (!key.createdBy || key.createdBy === 'admin-key')
      return { id: key.id, roles: key.roles, kind: 'person' };
    const creator = await this.current(key.createdBy);
    if (!creator || creator.disabledAt || creator.revokedAt) return null;
    if (creator.roles.includes('admin')) return { id: key.id, roles: key.roles, kind: 'person' };
    return {
      id: key.id,
      roles: key.roles.filter((r) => creator.roles.includes(r)),
      kind: 'person',
    };
  }

  /** The actor a bearer token stands for, or null when it stands for nobody. */
  async authenticate(token: string): Promise<Actor | null> {
    const admin = this.config.adminKey;
    if (
      admin &&
      token.length === admin.length &&
      timingSafeEqual(Buffer.from(token), Buffer.from(admin))
    )
      return { id: 'admin-key', roles: ['admin'], kind: 'person' };
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
      const claims = await this.jwt.verifyAsync<{
        sub?: unknown;
        iat?: unknown;
        exp?: unknown;
        gen?: unknown;
      }>(token, { algorithms: ['HS256'] });
      // A token without an expiry (or living longer than the server issues) is refused: one
      // signed by hand, or leaked, must not stay valid forever.
      if (
        typeof claims.sub !== 'string' ||
        typeof claims.iat !== 'number' ||
        typeof claims.exp !== 'number' ||
        claims.exp - claims.iat > TOKEN_LIFETIME_SECONDS
      )
        return null;
      const principal = await this.current(claims.sub);
      return principal &&
        !principal.revokedAt &&
        !principal.disabledAt &&
        (claims.gen ?? 0) === principal.generation
        ? { id: principal.id, roles: principal.roles, kind: 'person' }
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
    const done = () =>
      problems.conflict(
        'setup_done',
        'The owner account exists already: sign in, or ask an admin for an account',
      );
    // Once set up, the public endpoint costs no hashing (checked again in the transaction).
    if (!(await this.setupNeeded())) throw done();
    const passwordHash = await hashPassword(checkedPassword(input.password));
    return this.principals.transaction(async (tx) => {
      if ((await this.principals.countUsers(tx)) > 0) throw done();
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

  /**
   * Signs a person in. An unknown email, a disabled person and a wrong password get the same
   * answer after the same work (an unknown account is checked against a dummy hash); a hash
   * of an older format is replaced after a successful check.
   */
  async login(email: string, password: string) {
    checkedPassword(password);
    const user = await this.principals.byEmail(email);
    const stored =
      user?.passwordHash && !user.revokedAt && !user.disabledAt ? user.passwordHash : null;
    const { ok, rehash } = await verifyPassword(password, stored);
    if (!user || !stored || !ok) throw problems.unauthorized('Wrong email or password');
    if (rehash)
      await this.principals.replacePasswordHash(user.id, stored, await hashPassword(password));
    return { user: publicPrincipal(user), token: await this.sign(user) };
  }

  /** Adds a person with roles (admin only). */
  async createUser(input: { email: string; password: string; name: string; roles: string[] }) {
    if (await this.principals.byEmail(input.email))
      throw problems.conflict('email_taken', `A user with the email ${input.email} exists already`);
    const user = this.newPrincipal('user', input.name, input.roles, {
      email: input.email,
      passwordHash: await hashPassword(checkedPassword(input.password)),
    });
    await this.principals.insert(user);
    return publicPrincipal(user);
  }

  async principal(id: string) {
    const p = await this.principals.byId(id);
    return p ? publicPrincipal(p) : { id, kind: 'key' as const, name: id, roles: ['admin'] };
  }

  /** Signs a login token; it always carries `iat` and `exp` (tokens without are refused). */
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
