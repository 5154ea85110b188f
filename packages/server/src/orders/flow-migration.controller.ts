import { Answers, apiSchema, Problems, Summary } from '../openapi';
import { FlowMigration } from '../api-docs/schemas/flow.schemas';
import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@ordo/engine';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Roles } from '../auth/roles.decorator';
import { validateBody } from '../problems/validate-body';
import { FlowMigrationService } from './flow-migration.service';
import { MigrateBody } from './orders.schemas';

@ApiTags('flows')
@ApiBearerAuth()
@Controller('flows')
export class FlowMigrationController {
  constructor(private readonly migration: FlowMigrationService) {}

  /** Moves running orders to `toVersion` (`dryRun` to see the plan); reports what moved and what could not. */
  @Roles('designer')
  @Post(':key/migrate')
  @HttpCode(200)
  @Summary('Move running orders to another published version', '`dryRun` shows the plan.')
  @Answers(200, FlowMigration)
  @Problems(404, 422)
  @ApiBody({ schema: apiSchema(MigrateBody) })
  migrate(@Param('key') key: string, @Body() body: unknown, @CurrentActor() actor: Actor) {
    return this.migration.migrate(key, validateBody(MigrateBody, body), actor);
  }
}
