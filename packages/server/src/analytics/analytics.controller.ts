import { Type } from '@sinclair/typebox';
import { Analytics, AnalyticsSeries } from '../api-docs/schemas/analytics.schemas';
import { Answers, Problems, Summary } from '../openapi';
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
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
  @Summary(
    "A flow's figures in a window",
    '`?from&to&channel&customer&version`; `format=csv&table=<table>` answers that table as CSV.',
  )
  @ApiQuery({ name: 'from', required: false, schema: { type: 'string', format: 'date-time' } })
  @ApiQuery({ name: 'to', required: false, schema: { type: 'string', format: 'date-time' } })
  @ApiQuery({ name: 'channel', required: false, schema: { type: 'string' } })
  @ApiQuery({ name: 'customer', required: false, schema: { type: 'string' } })
  @ApiQuery({ name: 'version', required: false, schema: { type: 'integer' } })
  @ApiQuery({ name: 'format', required: false, schema: { enum: ['json', 'csv'] } })
  @ApiQuery({ name: 'table', required: false, schema: { enum: [...ANALYTICS_TABLES] } })
  @Answers(200, Analytics, {
    alternatives: { 'text/csv': Type.String({ description: 'with ?format=csv&table=<table>' }) },
  })
  @Problems(400, 404)
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
  @Summary(
    "A flow's figures per day, week or month",
    '`?measure=<id>&bucket=day|week|month` and the filters of the figures.',
  )
  @ApiQuery({ name: 'measure', required: false, schema: { type: 'string' } })
  @ApiQuery({ name: 'bucket', required: false, schema: { enum: ['day', 'week', 'month'] } })
  @Answers(200, AnalyticsSeries)
  @Problems(400, 404)
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
