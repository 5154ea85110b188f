import { Type } from '@sinclair/typebox';
import { CustomerHealth } from '../api-docs/schemas/analytics.schemas';
import { Answers, Problems, Summary } from '../openapi';
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../auth/roles.decorator';
import { problems } from '../problems/api-problem';
import { RuntimeClock } from '../runtime/runtime-clock';
import { AnalyticsService } from './analytics.service';
import { monthParam, reportLanguage, topParam } from './customer-health';

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

  /**
   * `?month=YYYY-MM&top=100` → the month's top customers, their measures and risks;
   * `&format=pdf&lang=en|zh-CN` → the same as a PDF.
   */
  @Get('customer-health')
  @Summary(
    "A month's top customers, their measures and risks",
    '`?month=YYYY-MM&top=100`; `format=pdf&lang=en|zh-CN` answers a PDF.',
  )
  @ApiQuery({
    name: 'month',
    required: false,
    schema: { type: 'string', pattern: '^\\d{4}-\\d{2}$' },
  })
  @ApiQuery({ name: 'top', required: false, schema: { type: 'integer', minimum: 1 } })
  @ApiQuery({ name: 'format', required: false, schema: { enum: ['json', 'pdf'] } })
  @ApiQuery({ name: 'lang', required: false, schema: { enum: ['en', 'zh-CN'] } })
  @Answers(200, CustomerHealth, {
    alternatives: { 'application/pdf': Type.String({ contentMediaType: 'application/pdf' }) },
  })
  @Problems(400, 404)
  async customerHealth(
    @Param('key') key: string,
    @Query() query: Record<string, unknown>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { month, top, format, lang } = query;
    if (format !== undefined && format !== 'json' && format !== 'pdf')
      throw problems.invalidQuery('/format', 'must be json or pdf');
    const language = reportLanguage(lang);
    const m = monthParam(month, this.clock.now());
    const n = topParam(top);
    if (format !== 'pdf') return this.analytics.customerHealth(key, m, n);
    const pdf = await this.analytics.customerHealthPdf(key, m, n, language);
    reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `attachment; filename="${key}-customer-health-${m}.pdf"`);
    return pdf;
  }
}
