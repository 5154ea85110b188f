import {
  CreatedKey,
  DeletedPerson,
  Principal,
  PrincipalList,
  Directory,
} from '../api-docs/schemas/access.schemas';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@ordo/engine';
import { Answers, apiSchema, Problems, Summary } from '../openapi';
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
  @Summary('List people')
  @Answers(200, PrincipalList)
  async users() {
    return { items: await this.people.listUsers() };
  }

  /** Everyone who acts, by name (people and API keys), for any signed-in role: no emails. */
  @Roles('viewer', 'operator', 'designer')
  @Get('people')
  @Summary('Name everyone who acts', 'People and API keys, for any signed-in role: no emails.')
  @Answers(200, Directory)
  async directory() {
    return { items: await this.people.directory() };
  }

  @Roles()
  @Post('users')
  @Summary('Add a person with roles')
  @Answers(201, Principal)
  @Problems(409, 422)
  @ApiBody({ schema: apiSchema(CreateUserBody) })
  createUser(@Body() body: unknown, @CurrentActor() actor: Actor) {
    return this.people.createUser(validateBody(CreateUserBody, body), actor);
  }

  /** `{ roles?, disabled? }`: a disabled person's tokens, keys and live sockets stop at once. */
  @Roles()
  @Patch('users/:id')
  @Summary("Change a person's roles, or disable or enable them")
  @Answers(200, Principal)
  @Problems(404, 409, 422)
  @ApiBody({ schema: apiSchema(UpdateUserBody) })
  updateUser(@Param('id') id: string, @Body() body: unknown, @CurrentActor() actor: Actor) {
    return this.people.updateUser(id, validateBody(UpdateUserBody, body), actor);
  }

  /** Deletes a person: their tasks go back to their queues, their keys are revoked. */
  @Roles()
  @Delete('users/:id')
  @Summary('Delete a person', 'Their tasks go back to their queues, their keys are revoked.')
  @Answers(200, DeletedPerson)
  @Problems(404, 409)
  deleteUser(@Param('id') id: string, @CurrentActor() actor: Actor) {
    return this.people.deleteUser(id, actor);
  }

  /** Creates an API key with roles (at most the caller's); the answer holds the key — the only time it is shown. */
  @Roles('viewer', 'operator', 'designer')
  @Post('keys')
  @Summary('Create an API key', 'The answer holds the key: the only time it is shown.')
  @Answers(201, CreatedKey)
  @Problems(422)
  @ApiBody({ schema: apiSchema(CreateKeyBody) })
  createKey(@Body() body: unknown, @CurrentActor() actor: Actor) {
    const { name, roles } = validateBody(CreateKeyBody, body);
    return this.people.createKey(name, roles, actor);
  }

  @Roles('viewer', 'operator', 'designer')
  @Get('keys')
  @Summary('List API keys', "Every key for an admin; one's own keys for anyone else.")
  @Answers(200, PrincipalList)
  async keys(@CurrentActor() actor: Actor) {
    return { items: await this.people.listKeys(actor) };
  }

  @Roles('viewer', 'operator', 'designer')
  @Delete('keys/:id')
  @HttpCode(204)
  @Summary('Revoke an API key')
  @Answers(204)
  @Problems(404)
  async revoke(@Param('id') id: string, @CurrentActor() actor: Actor) {
    await this.people.revokeKey(id, actor);
  }
}
