import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { problems } from '../problems/api-problem';
import { wholeId } from '../problems/whole-numbers';
import { pageQuery } from '../problems/page-query';
import { ExceptionsRepository } from './exceptions.repository';

/** Recorded exceptions, newest first, and how many were settled without a person. */
@ApiTags('exceptions')
@ApiBearerAuth()
@Controller('exceptions')
@Roles('viewer', 'operator', 'designer')
export class ExceptionsController {
  constructor(private readonly exceptions: ExceptionsRepository) {}

  @Get()
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
  stats(@Query('flow') flow?: string) {
    return this.exceptions.stats(flow);
  }

  @Get(':id')
  async get(@Param('id') id: string) {
    const n = wholeId(id);
    const found = n === undefined ? undefined : await this.exceptions.get(n);
    if (!found) throw problems.notFound('Exception', id);
    return found;
  }
}
