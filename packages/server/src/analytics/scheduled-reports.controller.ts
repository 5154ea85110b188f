import { ReportRun, ReportRunList } from '../api-docs/schemas/analytics.schemas';
import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { Type } from '@sinclair/typebox';
import { Roles } from '../auth/roles.decorator';
import { Answers, apiSchema, Problems, Summary } from '../openapi';
import { validateBody } from '../problems/validate-body';
import { RuntimeClock } from '../runtime/runtime-clock';
import { monthBefore, ScheduledReports } from './scheduled-reports';

export const SendReportBody = Type.Object(
  { month: Type.Optional(Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$' })) },
  { additionalProperties: false },
);

/** The flow's scheduled reports: what was sent, and sending one now (docs/analytics.md). */
@ApiTags('analytics')
@ApiBearerAuth()
@Controller('flows/:key/reports')
export class ScheduledReportsController {
  constructor(
    private readonly reports: ScheduledReports,
    private readonly clock: RuntimeClock,
  ) {}

  /** `{ items: [{ report, month, status, delivered, attempts, nextAt, error }] }`, newest first. */
  @Get('runs')
  @Summary("The flow's scheduled report runs, newest first")
  @Answers(200, ReportRunList)
  @Problems(404)
  @Roles('viewer', 'operator', 'designer')
  async runs(@Param('key') key: string) {
    return { items: await this.reports.list(key) };
  }

  /** Sends a month's report (default: the month before) to every channel now. */
  @Post(':report/send')
  @HttpCode(200)
  @Summary("Send a month's report now", 'Default: the month before, to every channel.')
  @Answers(200, ReportRun)
  @Problems(404, 409, 422)
  @Roles('designer')
  @ApiBody({ schema: apiSchema(SendReportBody) })
  send(@Param('key') key: string, @Param('report') report: string, @Body() body: unknown) {
    const { month } = validateBody(SendReportBody, body ?? {});
    return this.reports.sendNow(
      key,
      report,
      month ?? monthBefore(new Date(this.clock.now()).toISOString()),
    );
  }
}
