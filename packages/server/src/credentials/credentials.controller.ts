import { Credential, CredentialList } from '../api-docs/schemas/settings.schemas';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@ordo/engine';
import type { FastifyReply } from 'fastify';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Roles } from '../auth/roles.decorator';
import { Answers, apiSchema, Problems, Summary } from '../openapi';
import { validateBody } from '../problems/validate-body';
import { checkHostPatterns, SaveCredentialBody, UpdateCredentialBody } from './credentials.schemas';
import { CredentialsService } from './credentials.service';

/** Connector credentials (admin only). Secrets go in and are never given back. */
@ApiTags('credentials')
@ApiBearerAuth()
@Controller('credentials')
export class CredentialsController {
  constructor(private readonly credentials: CredentialsService) {}

  /**
   * Stores a credential with the hosts it may be sent to (201), or replaces the one with that
   * name (200). A malformed host pattern is a 422 at its path (`/hosts/1`); nothing is stored.
   */
  @Roles()
  @Post()
  @Summary(
    'Store a credential with the hosts it may be sent to',
    '201 when new, 200 when it replaces one; the secret is never given back.',
  )
  @Answers(201, Credential, { description: 'stored' })
  @Answers(200, Credential, { description: 'replaced' })
  @Problems(422)
  @ApiBody({ schema: apiSchema(SaveCredentialBody) })
  async save(
    @Body() body: unknown,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { name, secret, hosts } = validateBody(SaveCredentialBody, body);
    const { created, credential } = await this.credentials.save(
      name,
      secret,
      checkHostPatterns(hosts),
      actor.id,
    );
    reply.status(created ? 201 : 200);
    return credential;
  }

  /** Changes where a credential may be sent, keeping its secret. */
  @Roles()
  @Patch(':name')
  @Summary('Change where a credential may be sent', 'The secret stays.')
  @Answers(200, Credential)
  @Problems(404, 422)
  @ApiBody({ schema: apiSchema(UpdateCredentialBody) })
  async update(@Param('name') name: string, @Body() body: unknown, @CurrentActor() actor: Actor) {
    const { hosts } = validateBody(UpdateCredentialBody, body);
    return this.credentials.setHosts(name, checkHostPatterns(hosts), actor.id);
  }

  @Roles()
  @Get()
  @Summary('List credentials', 'Names, field names and hosts only.')
  @Answers(200, CredentialList)
  async list() {
    return { items: await this.credentials.list() };
  }

  @Roles()
  @Delete(':name')
  @HttpCode(204)
  @Summary('Delete a credential')
  @Answers(204)
  @Problems(404)
  remove(@Param('name') name: string, @CurrentActor() actor: Actor) {
    return this.credentials.remove(name, actor.id);
  }
}
