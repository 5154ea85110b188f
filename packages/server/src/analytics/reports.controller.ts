import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { RuntimeClock } from '../runtime/runtime-clock';
import { AnalyticsService } from './analytics.service';
import { monthParam, topParam } from './customer-health';

/** Reports computed from a flow's analytics (docs/analytics.md). */
@ApiTags('analytics')
@ApiBearerAuth()
@Controller('flows/:key/reports')
@Roles('viewer', 'operator', 'designer')
export class ReportsController {
  constructor(
    private readonly analytics: AnalyticsService,
    private readonly clock: RuntimeClock,
  ) {}

  /** `?month=YYYY-MM&top=100` → the month's top customers, their measures and risks. */
  @Get('customer-health')
  customerHealth(
    @Param('key') key: string,
    @Query('month') month: unknown,
    @Query('top') top: unknown,
  ) {
    return this.analytics.customerHealth(key, monthParam(month, this.clock.now()), topParam(top));
  }
}
