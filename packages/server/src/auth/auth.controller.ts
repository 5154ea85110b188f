import { apiSchema } from '../openapi';
import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@ordo/engine';
import { validateBody } from '../problems/validate-body';
import { CreateKeyBody, CreateUserBody, LoginBody, SetupBody } from './auth.schemas';
import { AuthService } from './auth.service';
import { CurrentActor } from './current-actor.decorator';
import { Public, Roles } from './roles.decorator';

/** Sign-in, first-run setup, the current principal. */
@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  /** Whether the owner account must still be created (first run). */
  @Public()
  @Get('setup')
  async setupStatus() {
    return { needed: await this.auth.setupNeeded() };
  }

  /** First run: creates the owner (admin) account, only while no user exists; signs it in. */
  @Public()
  @Post('setup')
  @ApiBody({ schema: apiSchema(SetupBody) })
  setup(@Body() body: unknown) {
    return this.auth.setupOwner(validateBody(SetupBody, body));
  }

  /** Email + password → `{ user, token }`; send the token as `Authorization: Bearer`. */
  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiBody({ schema: apiSchema(LoginBody) })
  login(@Body() body: unknown) {
    const { email, password } = validateBody(LoginBody, body);
    return this.auth.login(email, password);
  }

  /** Who the token stands for. */
  @ApiBearerAuth()
  @Roles('viewer', 'operator', 'designer')
  @Get('me')
  me(@CurrentActor() actor: Actor) {
    return this.auth.principal(actor.id);
  }
}

/** People and API keys (admin only). */
@ApiTags('auth')
@ApiBearerAuth()
@Controller()
export class PrincipalsController {
  constructor(private readonly auth: AuthService) {}

  @Roles()
  @Get('users')
  async users() {
    return { items: await this.auth.listUsers() };
  }

  @Roles()
  @Post('users')
  @ApiBody({ schema: apiSchema(CreateUserBody) })
  createUser(@Body() body: unknown) {
    return this.auth.createUser(validateBody(CreateUserBody, body));
  }

  /** Creates an API key with roles; the answer holds the key — the only time it is shown. */
  @Roles()
  @Post('keys')
  @ApiBody({ schema: apiSchema(CreateKeyBody) })
  createKey(@Body() body: unknown) {
    const { name, roles } = validateBody(CreateKeyBody, body);
    return this.auth.createKey(name, roles);
  }

  @Roles()
  @Get('keys')
  async keys() {
    return { items: await this.auth.listKeys() };
  }

  @Roles()
  @Delete('keys/:id')
  @HttpCode(204)
  async revoke(@Param('id') id: string) {
    await this.auth.revokeKey(id);
  }
}
