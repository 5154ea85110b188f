import { Template, TemplateDeployed, TemplateList } from '../api-docs/schemas/system.schemas';
import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@ordo/engine';
import { Type } from '@sinclair/typebox';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Roles } from '../auth/roles.decorator';
import { Answers, apiSchema, Problems, Summary } from '../openapi';
import { validateBody } from '../problems/validate-body';
import { TemplatesService } from './templates.service';

export const DeployBody = Type.Object(
  {
    /** Create the template's sample orders too (those already there are skipped). */
    loadSamples: Type.Optional(Type.Boolean()),
    /** Connector settings and credentials to use instead of the template's (your systems' base URLs). */
    connectors: Type.Optional(
      Type.Record(
        Type.String(),
        Type.Object(
          {
            settings: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
            /**
             * The credential this connector sends (its connector's `auth` fields), stored
             * instead of a placeholder, with the hosts these settings name.
             */
            credential: Type.Optional(
              Type.Record(
                Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,63}$' }),
                Type.String({ minLength: 1, maxLength: 8192 }),
                { minProperties: 1 },
              ),
            ),
          },
          { additionalProperties: false },
        ),
      ),
    ),
  },
  { additionalProperties: false },
);

/** Industry templates: the gallery and one-click deploy (admin). */
@ApiTags('templates')
@ApiBearerAuth()
@Controller('templates')
export class TemplatesController {
  constructor(private readonly templates: TemplatesService) {}

  @Get()
  @Summary('The template gallery')
  @Answers(200, TemplateList)
  @Roles('viewer', 'operator', 'designer')
  list() {
    return { items: this.templates.list() };
  }

  @Get(':id')
  @Summary('Read a template: its flow, sample orders and README')
  @Answers(200, Template)
  @Problems(404)
  @Roles('viewer', 'operator', 'designer')
  get(@Param('id') id: string) {
    return this.templates.get(id);
  }

  /** Deploys (idempotent): 200 with what it did and the checklist for production. */
  @Roles()
  @Post(':id/deploy')
  @HttpCode(200)
  @Summary('Deploy a template (idempotent)', 'What it did, and the checklist for production.')
  @Answers(200, TemplateDeployed)
  @Problems(404, 409, 422)
  @ApiBody({ schema: apiSchema(DeployBody) })
  deploy(@Param('id') id: string, @Body() body: unknown, @CurrentActor() actor: Actor) {
    return this.templates.deploy(id, validateBody(DeployBody, body ?? {}), actor);
  }
}
