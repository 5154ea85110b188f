import { EventLogImport } from '../api-docs/schemas/analytics.schemas';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { Roles } from '../auth/roles.decorator';
import { Answers, apiSchema, Problems, Summary } from '../openapi';
import { problems } from '../problems/api-problem';
import { validateBody } from '../problems/validate-body';
import { LOG_FORMATS, type LogFormat, EventLogService } from './event-log.service';

export const ImportLogBody = Type.Object(
  {
    format: Type.Literal('csv'),
    /** The CSV: reference,state,at required; event, actor, customer, channel, by optional. */
    content: Type.String({ minLength: 1 }),
    dryRun: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/** A flow's history as an event log (CSV, XES, OCEL 2.0), and legacy logs in. */
@ApiTags('analytics')
@ApiBearerAuth()
@Controller('flows/:key/event-log')
export class EventLogController {
  constructor(private readonly log: EventLogService) {}

  /** `?format=csv|xes|ocel` → the whole log, streamed. */
  @Get()
  @Summary("A flow's history as an event log", '`?format=csv|xes|ocel` (OCEL 2.0 JSON), streamed.')
  @ApiQuery({ name: 'format', required: false, schema: { enum: ['csv', 'xes', 'ocel'] } })
  @Answers(200, Type.String({ description: 'CSV' }), {
    mediaType: 'text/csv',
    alternatives: {
      'application/xml': Type.String({ description: 'XES' }),
      'application/json': Type.Object({}, { description: 'OCEL 2.0' }),
    },
  })
  @Problems(400, 404)
  @Roles('viewer', 'operator', 'designer')
  async export(
    @Param('key') key: string,
    @Query('format') format: string | undefined,
    @Res() reply: FastifyReply,
  ) {
    const f = (format ?? 'csv') as LogFormat;
    if (!Object.hasOwn(LOG_FORMATS, f))
      throw problems.invalidQuery('/format', 'must be csv, xes or ocel');
    const stream = await this.log.export(key, f);
    const ext = f === 'ocel' ? 'jsonocel' : f;
    return reply
      .header('content-type', LOG_FORMATS[f])
      .header('content-disposition', `attachment; filename="${key}.${ext}"`)
      .send(stream);
  }

  /** Imports a legacy event log as a baseline: `{ format: 'csv', content, dryRun? }`. */
  @Post()
  @HttpCode(200)
  @Summary(
    'Import a legacy event log as a baseline',
    'A bad row: 422 `event_log_refused` listing each, nothing imported.',
  )
  @Answers(200, EventLogImport)
  @Problems(404, 422)
  @Roles('designer')
  @ApiBody({ schema: apiSchema(ImportLogBody) })
  import(@Param('key') key: string, @Body() body: unknown) {
    const { content, dryRun } = validateBody(ImportLogBody, body);
    return this.log.import(key, content, dryRun ?? false);
  }
}
