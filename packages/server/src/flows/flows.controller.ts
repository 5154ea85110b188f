import { Answers, apiSchema, Problems, Summary } from '../openapi';
import { FlowDocument } from '../api-docs/flow-document.schema';
import {
  FlowList,
  FlowPublished,
  FlowValidation,
  FlowVersion,
  FlowView,
} from '../api-docs/schemas/flow.schemas';
import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { WholeIdPipe } from '../problems/whole-numbers';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@ordo/engine';
import { Type } from '@sinclair/typebox';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Roles } from '../auth/roles.decorator';
import { validateBody } from '../problems/validate-body';
import { FlowsService } from './flows.service';

const PublishBody = Type.Object(
  { note: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);

/** Flow documents: drafts, validation, publication, versions. */
@ApiTags('flows')
@ApiBearerAuth()
@Controller('flows')
export class FlowsController {
  constructor(private readonly flows: FlowsService) {}

  /** Creates a flow from a document, or replaces its draft (kept even when invalid, with its problems). */
  @Roles('designer')
  @Post()
  @Summary(
    'Create a flow or replace its draft',
    'The draft is kept even when invalid, with its problems.',
  )
  @Answers(201, FlowView)
  @Problems(422)
  @ApiBody({ schema: apiSchema(FlowDocument) })
  create(@Body() doc: unknown, @CurrentActor() actor: Actor) {
    return this.flows.saveDraft(doc, actor);
  }

  @Roles('viewer', 'operator', 'designer')
  @Get()
  @Summary('List flows')
  @Answers(200, FlowList)
  list() {
    return this.flows.list();
  }

  /** Checks a document without saving it. */
  @Roles('viewer', 'operator', 'designer')
  @Post('validate')
  @HttpCode(200)
  @Summary('Validate a flow document without saving it')
  @Answers(200, FlowValidation)
  @Problems(422)
  @ApiBody({ schema: apiSchema(FlowDocument) })
  validate(@Body() doc: unknown) {
    return this.flows.validate(doc);
  }

  @Roles('viewer', 'operator', 'designer')
  @Get(':key')
  @Summary('Read a flow: draft, problems, latest version, versions')
  @Answers(200, FlowView)
  @Problems(404)
  get(@Param('key') key: string) {
    return this.flows.view(key);
  }

  @Roles('designer')
  @Put(':key/draft')
  @Summary("Replace a flow's draft")
  @Answers(200, FlowView)
  @Problems(422)
  @ApiBody({ schema: apiSchema(FlowDocument) })
  putDraft(@Param('key') key: string, @Body() doc: unknown, @CurrentActor() actor: Actor) {
    return this.flows.saveDraft(doc, actor, key);
  }

  /** Publishes the draft as the next immutable version. */
  @Roles('designer')
  @Post(':key/publish')
  @HttpCode(201)
  @Summary(
    'Publish the draft as the next immutable version',
    '422 `invalid_flow` with the problems while it has errors.',
  )
  @Answers(201, FlowPublished)
  @Problems(404, 422)
  @ApiBody({ schema: apiSchema(PublishBody) })
  publish(@Param('key') key: string, @Body() body: unknown, @CurrentActor() actor: Actor) {
    const { note } = validateBody(PublishBody, body ?? {});
    return this.flows.publish(key, note, actor);
  }

  @Roles('viewer', 'operator', 'designer')
  @Get(':key/versions/:version')
  @Summary('Read a published version')
  @Answers(200, FlowVersion)
  @Problems(400, 404)
  version(@Param('key') key: string, @Param('version', WholeIdPipe) version: number) {
    return this.flows.version(key, version);
  }
}
