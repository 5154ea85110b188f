import { Answers, apiSchema, Problems, QueryParams, Summary } from '../openapi';
import {
  BulkEventResult,
  Order,
  OrderAnswer,
  OrderCounts,
  OrderEffects,
  OrderHistory,
  OrderPage,
  OrderTransitions,
} from '../api-docs/schemas/order.schemas';
import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiQuery, ApiTags } from '@nestjs/swagger';
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
  @Summary('Create an order', 'On the latest (or a pinned) published version of a flow.')
  @Answers(201, OrderAnswer)
  @Problems(404, 409, 422)
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
  @Summary('List orders', 'Filters, sort and cursor pagination.')
  @QueryParams(OrderListQuery)
  @Answers(200, OrderPage)
  @Problems(400)
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
  @Summary('Count the orders of a flow in each state')
  @ApiQuery({ name: 'flow', required: true, schema: { type: 'string' } })
  @Answers(200, OrderCounts)
  @Problems(400)
  counts(@Query('flow') flow?: string) {
    if (!flow) throw problems.invalidQuery('/flow', 'name the flow: ?flow=<key>');
    return this.orders.counts(flow);
  }

  /** Fires one event on many orders: `{ ids, type, payload? }` → a result per order. */
  @Roles('operator')
  @Post('bulk/events')
  @HttpCode(200)
  @Summary(
    'Fire one event on many orders',
    'A result per order; one refusal does not hold the others back.',
  )
  @Answers(200, BulkEventResult)
  @Problems(409, 422)
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
  @Summary('Read an order')
  @Answers(200, Order)
  @Problems(404)
  get(@Param('id') id: string) {
    return this.orders.get(id);
  }

  /** Changes the order data with a JSON merge patch (RFC 7386): `null` removes a value. */
  @Roles('operator')
  @Patch(':id')
  @Summary('Change order data with a JSON merge patch')
  @Answers(200, OrderAnswer)
  @Problems(404, 409, 422)
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
  @Summary(
    'Fire an event on an order',
    '409 with the current order when `expectedVersion` is stale.',
  )
  @Answers(200, OrderAnswer)
  @Problems(404, 409, 422)
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
  @Summary(
    'What can happen next',
    'The transitions out of the current state; each blocked one says why.',
  )
  @Answers(200, OrderTransitions)
  @Problems(404)
  transitions(@Param('id') id: string, @CurrentActor() actor: Actor) {
    return this.orders.transitions(id, actor);
  }

  /** The order's history: creation, each transition (auto ones too) and each data update. */
  @Roles('viewer', 'operator', 'designer')
  @Get(':id/history')
  @Summary("An order's history")
  @Answers(200, OrderHistory)
  @Problems(404)
  history(@Param('id') id: string) {
    return this.orders.history(id);
  }

  /** The effects the order's changes put in the outbox, with their delivery status. */
  @Roles('viewer', 'operator', 'designer')
  @Get(':id/effects')
  @Summary("An order's effects and their delivery status")
  @Answers(200, OrderEffects)
  @Problems(404)
  effects(@Param('id') id: string) {
    return this.orders.effects(id);
  }
}
