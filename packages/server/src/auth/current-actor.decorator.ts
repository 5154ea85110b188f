import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Actor } from '@ordo/engine';

/** The authenticated principal of a request, as the engine's `Actor` (set by the auth guard). */
export const CurrentActor = createParamDecorator((_data: unknown, ctx: ExecutionContext): Actor => {
  const request = ctx.switchToHttp().getRequest<{ actor?: Actor }>();
  if (!request.actor) throw new Error('CurrentActor used on a route without authentication');
  return request.actor;
});
