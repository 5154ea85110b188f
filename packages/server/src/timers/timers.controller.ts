import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { OrderTimers } from '../api-docs/schemas/order.schemas';
import { Roles } from '../auth/roles.decorator';
import { Answers, Problems, Summary } from '../openapi';
import { OrdersService } from '../orders/orders.service';
import { TimersRepository } from './timers.repository';

/** The timers running for an order: SLA due times, the next poll, blocked-autos watches. */
@ApiTags('orders')
@ApiBearerAuth()
@Controller('orders/:id/timers')
export class TimersController {
  constructor(
    private readonly timers: TimersRepository,
    private readonly orders: OrdersService,
  ) {}

  @Get()
  @Summary('The timers running for an order')
  @Answers(200, OrderTimers)
  @Problems(404)
  @Roles('viewer', 'operator', 'designer')
  async list(@Param('id') id: string) {
    await this.orders.get(id);
    const items = await this.timers.forOrder(id);
    return {
      items: items.map(({ timer, kind, state, at, since }) => ({
        timer,
        ...(kind && { kind }),
        state,
        at,
        ...(since && { since }),
      })),
    };
  }
}
