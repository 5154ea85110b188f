import { ConnectorList, Effect, EffectPage } from '../api-docs/schemas/runtime.schemas';
import { Answers, Problems, Summary } from '../openapi';
import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { problems } from '../problems/api-problem';
import { WholeIdPipe } from '../problems/whole-numbers';
import { pageQuery } from '../problems/page-query';
import { ConnectorRegistry } from '../connectors/connector-registry';
import { EffectDispatcher } from './effect-dispatcher';
import { OutboxRepository } from './outbox.repository';

const STATUSES = ['pending', 'running', 'done', 'dead'];

/** The outbox as operators see it: what ran, what failed and why; retry the dead. */
@ApiTags('effects')
@ApiBearerAuth()
@Controller()
export class EffectsController {
  constructor(
    private readonly outbox: OutboxRepository,
    private readonly dispatcher: EffectDispatcher,
    private readonly registry: ConnectorRegistry,
  ) {}

  @Roles('viewer', 'operator', 'designer')
  @Get('effects')
  @Summary('List effects (the outbox)', 'What ran, what failed and why.')
  @Answers(200, EffectPage)
  @Problems(400)
  @ApiQuery({ name: 'status', required: false, enum: STATUSES })
  @ApiQuery({ name: 'orderId', required: false })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'cursor', required: false })
  list(
    @Query('status') status?: string,
    @Query('orderId') orderId?: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ) {
    if (status !== undefined && !STATUSES.includes(status))
      throw problems.invalidQuery('/status', `must be one of ${STATUSES.join(', ')}`);
    const page = pageQuery(limit, cursor);
    return this.outbox.list({ status, orderId, limit: page.limit, after: page.cursor });
  }

  @Roles('viewer', 'operator', 'designer')
  @Get('effects/:id')
  @Summary('Read an effect')
  @Answers(200, Effect)
  @Problems(400, 404)
  async get(@Param('id', WholeIdPipe) id: number) {
    const effect = await this.outbox.get(id);
    if (!effect) throw problems.notFound('Effect', String(id));
    return effect;
  }

  /** Puts a dead effect back in the queue with fresh attempts. */
  @Roles('operator')
  @Post('effects/:id/retry')
  @HttpCode(200)
  @Summary('Retry a dead effect with fresh attempts', '409 `not_dead` for any other.')
  @Answers(200, Effect)
  @Problems(400, 404, 409)
  async retry(@Param('id', WholeIdPipe) id: number) {
    const effect = await this.outbox.get(id);
    if (!effect) throw problems.notFound('Effect', String(id));
    if (!(await this.outbox.retry(id, new Date().toISOString())))
      throw problems.conflict(
        'not_dead',
        `Effect ${id} is ${effect.status}: only dead effects can be retried`,
        { effect },
      );
    this.dispatcher.wake();
    return this.outbox.get(id);
  }

  /** The connectors this server can run, with their settings and action schemas. */
  @Roles('viewer', 'operator', 'designer')
  @Get('connectors')
  @Summary('The connectors this server can run')
  @Answers(200, ConnectorList)
  connectors() {
    return { items: this.registry.describe() };
  }
}
