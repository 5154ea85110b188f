import { NotificationPage } from '../api-docs/schemas/runtime.schemas';
import { Answers, Problems, Summary } from '../openapi';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@ordo/engine';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Roles } from '../auth/roles.decorator';
import { pageQuery } from '../problems/page-query';
import { NotificationsRepository } from './notifications.repository';

/** The notification list. Without filters: what was sent to the caller and the caller's roles. */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsRepository) {}

  @Roles('viewer', 'operator', 'designer')
  @Get()
  @Summary(
    'List notifications, newest first',
    "Without filters: those sent to the caller and the caller's roles.",
  )
  @Answers(200, NotificationPage)
  @Problems(400)
  @ApiQuery({ name: 'role', required: false })
  @ApiQuery({ name: 'queue', required: false })
  @ApiQuery({ name: 'user', required: false })
  @ApiQuery({ name: 'orderId', required: false })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'cursor', required: false })
  list(
    @CurrentActor() actor: Actor,
    @Query('role') role?: string,
    @Query('queue') queue?: string,
    @Query('user') user?: string,
    @Query('orderId') orderId?: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ) {
    const page = pageQuery(limit, cursor);
    const asked = [
      ...(role ? [['role', role] as const] : []),
      ...(queue ? [['queue', queue] as const] : []),
      ...(user ? [['user', user] as const] : []),
    ];
    const audiences: ['role' | 'queue' | 'user', string][] = asked.length
      ? asked.map(([k, v]) => [k, v])
      : orderId
        ? []
        : [['user', actor.id], ...actor.roles.map((r): ['role', string] => ['role', r])];
    return this.notifications.list({
      audiences: audiences.length ? audiences : undefined,
      orderId,
      limit: page.limit,
      before: page.cursor,
    });
  }
}
