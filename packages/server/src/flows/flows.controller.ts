import { apiSchema } from '../openapi';
import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { WholeIdPipe } from '../problems/whole-numbers';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { type Actor, flowSchema } from '@ordo/engine';
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
  @ApiBody({ schema: apiSchema(flowSchema) })
  create(@Body() doc: unknown, @CurrentActor() actor: Actor) {
    return this.flows.saveDraft(doc, actor);
  }

  @Roles('viewer', 'operator', 'designer')
  @Get()
  list() {
    return this.flows.list();
  }

  /** Checks a document without saving it. */
  @Roles('viewer', 'operator', 'designer')
  @Post('validate')
  @HttpCode(200)
  @ApiBody({ schema: apiSchema(flowSchema) })
  validate(@Body() doc: unknown) {
    return this.flows.validate(doc);
  }

  @Roles('viewer', 'operator', 'designer')
  @Get(':key')
  get(@Param('key') key: string) {
    return this.flows.view(key);
  }

  @Roles('designer')
  @Put(':key/draft')
  @ApiBody({ schema: apiSchema(flowSchema) })
  putDraft(@Param('key') key: string, @Body() doc: unknown, @CurrentActor() actor: Actor) {
    return this.flows.saveDraft(doc, actor, key);
  }

  /** Publishes the draft as the next immutable version. */
  @Roles('designer')
  @Post(':key/publish')
  @HttpCode(201)
  @ApiBody({ schema: apiSchema(PublishBody) })
  publish(@Param('key') key: string, @Body() body: unknown, @CurrentActor() actor: Actor) {
    const { note } = validateBody(PublishBody, body ?? {});
    return this.flows.publish(key, note, actor);
  }

  @Roles('viewer', 'operator', 'designer')
  @Get(':key/versions/:version')
  version(@Param('key') key: string, @Param('version', WholeIdPipe) version: number) {
    return this.flows.version(key, version);
  }
}
