import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@ordo/engine';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Roles } from '../auth/roles.decorator';
import { apiSchema } from '../openapi';
import { RefreshSpec } from './data-set-refresh.schema';
import { DataSetRefreshService } from './data-set-refresh.service';

/** A data set refreshed on a schedule from a connector: its spec, its last run, "refresh now". */
@ApiTags('data sets')
@ApiBearerAuth()
@Controller('datasets/:key/refresh')
export class DataSetRefreshController {
  constructor(private readonly refreshes: DataSetRefreshService) {}

  /** The spec, the next run and the last run's outcome (message, version, per-row errors). */
  @Get()
  @Roles('viewer', 'operator', 'designer')
  get(@Param('key') key: string) {
    return this.refreshes.get(key);
  }

  /** Sets (or replaces) the refresh; the first run is due at once. */
  @Put()
  @HttpCode(200)
  @Roles('designer')
  @ApiBody({ schema: apiSchema(RefreshSpec) })
  put(@Param('key') key: string, @Body() body: unknown, @CurrentActor() actor: Actor) {
    return this.refreshes.configure(key, body, actor);
  }

  /** Stops refreshing (the data set and its versions stay). */
  @Delete()
  @HttpCode(204)
  @Roles('designer')
  delete(@Param('key') key: string) {
    return this.refreshes.remove(key);
  }

  /** Runs the refresh now and answers its outcome; 409 while another process runs it. */
  @Post('run')
  @HttpCode(200)
  @Roles('designer', 'operator')
  run(@Param('key') key: string) {
    return this.refreshes.runNow(key);
  }
}
