import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
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
