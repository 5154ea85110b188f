import {
  DataSetRefresh,
  RefreshRun,
  RefreshSpec as RefreshSpecSchema,
} from '../api-docs/schemas/data-set.schemas';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@ordo/engine';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Roles } from '../auth/roles.decorator';
import { Answers, apiSchema, Problems, Summary } from '../openapi';
import { DataSetRefreshService } from './data-set-refresh.service';

/** A data set refreshed on a schedule from a connector: its spec, its last run, "refresh now". */
@ApiTags('data sets')
@ApiBearerAuth()
@Controller('datasets/:key/refresh')
export class DataSetRefreshController {
  constructor(private readonly refreshes: DataSetRefreshService) {}

  /** The spec, the next run and the last run's outcome (message, version, per-row errors). */
  @Get()
  @Summary("A data set's refresh: its spec, next run and last run")
  @Answers(200, DataSetRefresh)
  @Problems(404)
  @Roles('viewer', 'operator', 'designer')
  get(@Param('key') key: string) {
    return this.refreshes.get(key);
  }

  /** Sets (or replaces) the refresh; the first run is due at once. */
  @Put()
  @Summary('Set or replace the refresh of a data set', 'The first run is due at once.')
  @Answers(200, DataSetRefresh)
  @Problems(400, 422)
  @HttpCode(200)
  @Roles('designer')
  @ApiBody({ schema: apiSchema(RefreshSpecSchema) })
  put(@Param('key') key: string, @Body() body: unknown, @CurrentActor() actor: Actor) {
    return this.refreshes.configure(key, body, actor);
  }

  /** Stops refreshing (the data set and its versions stay). */
  @Delete()
  @Summary('Stop refreshing a data set', 'The data set and its versions stay.')
  @Answers(204)
  @Problems(404)
  @HttpCode(204)
  @Roles('designer')
  delete(@Param('key') key: string) {
    return this.refreshes.remove(key);
  }

  /** Runs the refresh now and answers its outcome; 409 while another process runs it. */
  @Post('run')
  @Summary('Run the refresh now', '409 while another process runs it.')
  @Answers(200, RefreshRun)
  @Problems(404, 409)
  @HttpCode(200)
  @Roles('designer', 'operator')
  run(@Param('key') key: string) {
    return this.refreshes.runNow(key);
  }
}
