import { Type } from '@sinclair/typebox';
import { ExceptionPage, ExceptionRecord, ExceptionStats } from '../api-docs/schemas/work.schemas';
import { Answers, Paged, Problems, Summary } from '../openapi';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { problems } from '../problems/api-problem';
import { wholeId } from '../problems/whole-numbers';
import { pageQuery } from '../problems/page-query';
import { ExceptionsRepository } from './exceptions.repository';

const ExceptionQuery = Type.Object({
  flow: Type.Optional(Type.String()),
  kind: Type.Optional(Type.String()),
  status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('settled')])),
  orderId: Type.Optional(Type.String()),
});

/** Recorded exceptions, newest first, and how many were settled without a person. */
@ApiTags('exceptions')
@ApiBearerAuth()
@Controller('exceptions')
@Roles('viewer', 'operator', 'designer')
export class ExceptionsController {
  constructor(private readonly exceptions: ExceptionsRepository) {}

  @Get()
  @Summary('List exceptions, newest first')
  @Paged(ExceptionQuery)
  @Answers(200, ExceptionPage)
  @Problems(400)
  list(
    @Query('flow') flow?: string,
    @Query('kind') kind?: string,
    @Query('status') status?: string,
    @Query('orderId') orderId?: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ) {
    if (status !== undefined && !['open', 'settled'].includes(status))
      throw problems.invalidQuery('/status', 'must be open or settled');
    return this.exceptions.list({ flow, kind, status, orderId, ...pageQuery(limit, cursor) });
  }

  /** Totals by kind; `automaticShare` is the share settled without a person. */
  @Get('stats')
  @Summary('Exception totals by kind', '`automaticShare`: the share settled without a person.')
  @ApiQuery({ name: 'flow', required: false, schema: { type: 'string' } })
  @Answers(200, ExceptionStats)
  stats(@Query('flow') flow?: string) {
    return this.exceptions.stats(flow);
  }

  @Get(':id')
  @Summary('Read an exception')
  @Answers(200, ExceptionRecord)
  @Problems(404)
  async get(@Param('id') id: string) {
    const n = wholeId(id);
    const found = n === undefined ? undefined : await this.exceptions.get(n);
    if (!found) throw problems.notFound('Exception', id);
    return found;
  }
}
