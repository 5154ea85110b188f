import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Actor } from '@ordo/engine';
import { problems } from '../problems/api-problem';
import { AuthService } from './auth.service';
import { PUBLIC_KEY, ROLES_KEY } from './roles.decorator';

/**
 * The global guard: every route is closed unless marked @Public. A caller is identified by
 * `Authorization: Bearer <token>`; a route's @Roles lists the roles that may call it (any
 * one; `admin` always may). A route that states no roles is admin-only — closed by default.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, string | undefined>; actor?: Actor }>();
    const header = request.headers.authorization;
    if (!header?.startsWith('Bearer ')) throw problems.unauthorized();
    const actor = await this.auth.authenticate(header.slice(7).trim());
    if (!actor) throw problems.unauthorized('The token is not valid (unknown, revoked or expired)');
    request.actor = actor;
    const needed = this.reflector.getAllAndOverride<string[]>(ROLES_KEY, targets) ?? [];
    if (actor.roles.includes('admin') || needed.some((role) => actor.roles.includes(role)))
      return true;
    throw problems.forbidden(
      `This needs the role ${needed.length ? needed.join(' or ') : 'admin'}; you have ${actor.roles.join(', ') || 'none'}`,
    );
  }
}
