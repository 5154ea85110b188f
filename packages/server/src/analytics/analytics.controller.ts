import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../auth/roles.decorator';
import { problems } from '../problems/api-problem';
import { RuntimeClock } from '../runtime/runtime-clock';
import { ANALYTICS_TABLES, type AnalyticsTable, analyticsCsv } from './analytics-csv';
import { analyticsFilter } from './analytics-filter';
import { bucketParam } from './analytics-series';
import { AnalyticsService } from './analytics.service';

/** KPIs of a flow from its order history (docs/analytics.md). */
@ApiTags('analytics')
@ApiBearerAuth()
@Controller('flows/:key/analytics')
@Roles('viewer', 'operator', 'designer')
export class AnalyticsController {
  constructor(
    private readonly analytics: AnalyticsService,
    private readonly clock: RuntimeClock,
  ) {}

  /**
   * `?from&to&channel&customer&version` → the figures of the window; `&format=csv&table=states`
   * (or transitions, measures, counters, sla, exceptions, channels) → that table as CSV.
   */
  @Get()
  async get(
    @Param('key') key: string,
    @Query() query: Record<string, unknown>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { format, table, ...filters } = query;
    if (format !== undefined && format !== 'json' && format !== 'csv')
      throw problems.invalidQuery('/format', 'must be json or csv');
    if (format === 'csv' && !ANALYTICS_TABLES.includes(table as AnalyticsTable))
      throw problems.invalidQuery(
        '/table',
        `name the table: one of ${ANALYTICS_TABLES.join(', ')}`,
      );
    const result = await this.analytics.analytics(key, analyticsFilter(filters, this.clock.now()));
    if (format !== 'csv') return result;
    reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${key}-${String(table)}.csv"`);
    return analyticsCsv(result, table as AnalyticsTable);
  }

  /**
   * `?measure=<id>&bucket=day|week|month` and the filters of the figures → the measure per
   * bucket (by when it ended); without `measure`, orders created and completed and the cycle
   * time per bucket.
   */
  @Get('series')
  series(@Param('key') key: string, @Query() query: Record<string, unknown>) {
    const { measure, bucket, ...filters } = query;
    return this.analytics.series(
      key,
      analyticsFilter(filters, this.clock.now()),
      bucketParam(bucket),
      measure,
    );
  }
}
