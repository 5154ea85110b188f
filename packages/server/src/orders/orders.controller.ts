import { apiSchema } from '../openapi';
import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@ordo/engine';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Roles } from '../auth/roles.decorator';
import { commitAnswer, KeyedAnswer } from '../idempotency/keyed-answer';
import { problems } from '../problems/api-problem';
import { validateBody } from '../problems/validate-body';
import { OrderListQuery } from './order-list.query';
import { BulkEventBody, CreateOrderBody, FireEventBody, MergePatchBody } from './orders.schemas';
import { type KeyedWrite, OrdersService } from './orders.service';

/** A keyed request's answer, written in the transaction of its change. */
const keyedWrite = (answer?: KeyedAnswer): KeyedWrite | undefined =>
  answer && ((tx, body) => commitAnswer(tx, answer, body));

/** Orders: create, list, read, change data, fire events, see what can happen next. */
@ApiTags('orders')
@ApiBearerAuth()
@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  /** Creates an order on the latest (or a pinned) published version of a flow. */
  @Roles('operator')
  @Post()
  @ApiBody({ schema: apiSchema(CreateOrderBody) })
  create(
    @Body() body: unknown,
    @CurrentActor() actor: Actor,
    @KeyedAnswer(201) answer?: KeyedAnswer,
  ) {
    return this.orders.create(validateBody(CreateOrderBody, body), actor, {
      keyed: keyedWrite(answer),
    });
  }

  /** Lists orders: filters, sort, cursor pagination → `{ items, nextCursor }`. */
  @Roles('viewer', 'operator', 'designer')
  @Get()
  list(@Query() query: Record<string, unknown>) {
    try {
      return this.orders.list(validateBody(OrderListQuery, { ...query }));
    } catch (error) {
      const errors = (error as { extra?: { errors?: never[] } }).extra?.errors;
      throw errors
        ? problems.badRequest('bad_query', 'The query string is invalid', errors)
        : error;
    }
  }

  /** How many orders of a flow are in each state (one indexed GROUP BY). */
  @Roles('viewer', 'operator', 'designer')
  @Get('counts')
  counts(@Query('flow') flow?: string) {
    if (!flow) throw problems.invalidQuery('/flow', 'name the flow: ?flow=<key>');
    return this.orders.counts(flow);
  }

  /** Fires one event on many orders: `{ ids, type, payload? }` → a result per order. */
  @Roles('operator')
  @Post('bulk/events')
  @HttpCode(200)
  @ApiBody({ schema: apiSchema(BulkEventBody) })
  bulk(
    @Body() body: unknown,
    @CurrentActor() actor: Actor,
    @KeyedAnswer(200) answer?: KeyedAnswer,
  ) {
    const { ids, type, payload } = validateBody(BulkEventBody, body);
    return this.orders.fireMany(ids, { type, payload }, actor, answer);
  }

  @Roles('viewer', 'operator', 'designer')
  @Get(':id')
  get(@Param('id') id: string) {
    return this.orders.get(id);
  }

  /** Changes the order data with a JSON merge patch (RFC 7386): `null` removes a value. */
  @Roles('operator')
  @Patch(':id')
  @ApiBody({ schema: apiSchema(MergePatchBody) })
  update(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentActor() actor: Actor,
    @KeyedAnswer(200) answer?: KeyedAnswer,
  ) {
    return this.orders.update(id, validateBody(MergePatchBody, body), actor, keyedWrite(answer));
  }

  /** Fires an event: `{ type, payload?, expectedVersion? }`. */
  @Roles('operator')
  @Post(':id/events')
  @HttpCode(200)
  @ApiBody({ schema: apiSchema(FireEventBody) })
  fire(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentActor() actor: Actor,
    @KeyedAnswer(200) answer?: KeyedAnswer,
  ) {
    const { type, payload, expectedVersion } = validateBody(FireEventBody, body);
    return this.orders.fire(
      id,
      { type, payload },
      expectedVersion,
      actor,
      undefined,
      undefined,
      keyedWrite(answer),
    );
  }

  /** The transitions out of the current state; each blocked one says why. */
  @Roles('viewer', 'operator', 'designer')
  @Get(':id/transitions')
  transitions(@Param('id') id: string, @CurrentActor() actor: Actor) {
    return this.orders.transitions(id, actor);
  }

  /** The order's history: creation, each transition (auto ones too) and each data update. */
  @Roles('viewer', 'operator', 'designer')
  @Get(':id/history')
  history(@Param('id') id: string) {
    return this.orders.history(id);
  }

  /** The effects the order's changes put in the outbox, with their delivery status. */
  @Roles('viewer', 'operator', 'designer')
  @Get(':id/effects')
  effects(@Param('id') id: string) {
    return this.orders.effects(id);
  }
}
