import { ReconciliationRates, ReconciliationReportList } from '../api-docs/schemas/system.schemas';
import { Answers, apiSchema, Problems, Summary } from '../openapi';
import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Type } from '@sinclair/typebox';
import { Roles } from '../auth/roles.decorator';
import { problems } from '../problems/api-problem';
import { pageQuery } from '../problems/page-query';
import { validateBody } from '../problems/validate-body';
import { ReconciliationService } from './reconciliation.service';

const ReconcileBody = Type.Object(
  { system: Type.Optional(Type.String({ minLength: 1 })) },
  { additionalProperties: false },
);

/** A UTC time as ISO-8601 (what reports are stamped with). */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/;

/** The status translator's drift reports. */
@ApiTags('systems')
@ApiBearerAuth()
@Controller('flows/:key/reconciliations')
export class ReconciliationController {
  constructor(private readonly reconciliation: ReconciliationService) {}

  /** Asks the flow's systems for their view now; one report per system. */
  @Post()
  @HttpCode(200)
  @Summary("Ask the flow's systems for their view now", 'One report per system (or the one named).')
  @ApiBody({ schema: apiSchema(ReconcileBody) })
  @Answers(200, ReconciliationReportList)
  @Problems(404, 422)
  @Roles('operator', 'designer')
  async run(@Param('key') key: string, @Body() body: unknown) {
    const { system } = validateBody(ReconcileBody, body ?? {});
    return { items: await this.reconciliation.run(key, system) };
  }

  /**
   * The disagreement rate over time: each report's counts and rates (no drift lists), oldest
   * first — the latest `limit` (default 50, at most 500), of one `system`, finished `since`
   * and before `until`.
   */
  @Get('rates')
  @Summary('The disagreement rate over time', 'The latest `limit` reports, oldest first.')
  @ApiQuery({ name: 'system', required: false, schema: { type: 'string' } })
  @ApiQuery({ name: 'since', required: false, schema: { type: 'string', format: 'date-time' } })
  @ApiQuery({ name: 'until', required: false, schema: { type: 'string', format: 'date-time' } })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: 500 },
  })
  @Answers(200, ReconciliationRates)
  @Problems(400, 404)
  @Roles('viewer', 'operator', 'designer')
  async rates(
    @Param('key') key: string,
    @Query('system') system?: string,
    @Query('since') since?: string,
    @Query('until') until?: string,
    @Query('limit') limit?: string,
  ) {
    const time = (value: string | undefined, path: string) => {
      if (value === undefined) return undefined;
      if (!ISO_TIME.test(value) || Number.isNaN(Date.parse(value)))
        throw problems.invalidQuery(path, 'must be an ISO-8601 UTC time (2026-12-01T00:00:00Z)');
      return new Date(value).toISOString();
    };
    const items = await this.reconciliation.rates(key, {
      system,
      since: time(since, '/since'),
      until: time(until, '/until'),
      limit: pageQuery(limit, undefined).limit,
    });
    return { items };
  }

  @Get()
  @Summary("The flow's reconciliation reports")
  @ApiQuery({ name: 'system', required: false, schema: { type: 'string' } })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: 500 },
  })
  @Answers(200, ReconciliationReportList)
  @Problems(400, 404)
  @Roles('viewer', 'operator', 'designer')
  async list(
    @Param('key') key: string,
    @Query('system') system?: string,
    @Query('limit') limit?: string,
  ) {
    return {
      items: await this.reconciliation.list(key, system, pageQuery(limit, undefined).limit),
    };
  }
}
