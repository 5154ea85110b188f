import { Body, Controller, Delete, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@ordo/engine';
import type { FastifyReply } from 'fastify';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Roles } from '../auth/roles.decorator';
import { apiSchema } from '../openapi';
import { validateBody } from '../problems/validate-body';
import { SaveCredentialBody } from './credentials.schemas';
import { CredentialsService } from './credentials.service';

/** Connector credentials (admin only). Secrets go in and are never given back. */
@ApiTags('credentials')
@ApiBearerAuth()
@Controller('credentials')
export class CredentialsController {
  constructor(private readonly credentials: CredentialsService) {}

  /** Stores a credential (201), or replaces the one with that name (200). */
  @Roles()
  @Post()
  @ApiBody({ schema: apiSchema(SaveCredentialBody) })
  async save(
    @Body() body: unknown,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { name, secret } = validateBody(SaveCredentialBody, body);
    const { created, credential } = await this.credentials.save(name, secret, actor.id);
    reply.status(created ? 201 : 200);
    return credential;
  }

  @Roles()
  @Get()
  async list() {
    return { items: await this.credentials.list() };
  }

  @Roles()
  @Delete(':name')
  @HttpCode(204)
  remove(@Param('name') name: string, @CurrentActor() actor: Actor) {
    return this.credentials.remove(name, actor.id);
  }
}
