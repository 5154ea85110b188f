import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@ordo/engine';
import { apiSchema } from '../openapi';
import { validateBody } from '../problems/validate-body';
import { CreateKeyBody, CreateUserBody, UpdateUserBody } from './auth.schemas';
import { CurrentActor } from './current-actor.decorator';
import { PeopleService } from './people.service';
import { Roles } from './roles.decorator';

/** People (admin only) and API keys (admins: all; anyone else: their own, within their roles). */
@ApiTags('auth')
@ApiBearerAuth()
@Controller()
export class PeopleController {
  constructor(private readonly people: PeopleService) {}

  @Roles()
  @Get('users')
  async users() {
    return { items: await this.people.listUsers() };
  }

  /** Everyone who acts, by name (people and API keys), for any signed-in role: no emails. */
  @Roles('viewer', 'operator', 'designer')
  @Get('people')
  async directory() {
    return { items: await this.people.directory() };
  }

  @Roles()
  @Post('users')
  @ApiBody({ schema: apiSchema(CreateUserBody) })
  createUser(@Body() body: unknown, @CurrentActor() actor: Actor) {
    return this.people.createUser(validateBody(CreateUserBody, body), actor);
  }

  /** `{ roles?, disabled? }`: a disabled person's tokens, keys and live sockets stop at once. */
  @Roles()
  @Patch('users/:id')
  @ApiBody({ schema: apiSchema(UpdateUserBody) })
  updateUser(@Param('id') id: string, @Body() body: unknown, @CurrentActor() actor: Actor) {
    return this.people.updateUser(id, validateBody(UpdateUserBody, body), actor);
  }

  /** Deletes a person: their tasks go back to their queues, their keys are revoked. */
  @Roles()
  @Delete('users/:id')
  deleteUser(@Param('id') id: string, @CurrentActor() actor: Actor) {
    return this.people.deleteUser(id, actor);
  }

  /** Creates an API key with roles (at most the caller's); the answer holds the key — the only time it is shown. */
  @Roles('viewer', 'operator', 'designer')
  @Post('keys')
  @ApiBody({ schema: apiSchema(CreateKeyBody) })
  createKey(@Body() body: unknown, @CurrentActor() actor: Actor) {
    const { name, roles } = validateBody(CreateKeyBody, body);
    return this.people.createKey(name, roles, actor);
  }

  @Roles('viewer', 'operator', 'designer')
  @Get('keys')
  async keys(@CurrentActor() actor: Actor) {
    return { items: await this.people.listKeys(actor) };
  }

  @Roles('viewer', 'operator', 'designer')
  @Delete('keys/:id')
  @HttpCode(204)
  async revoke(@Param('id') id: string, @CurrentActor() actor: Actor) {
    await this.people.revokeKey(id, actor);
  }
}
