import { Principal, SetupStatus, SignedIn } from '../api-docs/schemas/access.schemas';
import { Answers, apiSchema, Problems, Summary } from '../openapi';
import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@ordo/engine';
import { validateBody } from '../problems/validate-body';
import { LoginBody, SetupBody } from './auth.schemas';
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
  @Summary('Whether the owner account must still be created')
  @Answers(200, SetupStatus)
  @Problems(429)
  async setupStatus() {
    return { needed: await this.auth.setupNeeded() };
  }

  /** First run: creates the owner (admin) account, only while no user exists; signs it in. */
  @Public()
  @Post('setup')
  @Summary('First run: create the owner (admin) account and sign it in')
  @Answers(201, SignedIn)
  @Problems(409, 422, 429, 503)
  @ApiBody({ schema: apiSchema(SetupBody) })
  setup(@Body() body: unknown) {
    return this.auth.setupOwner(validateBody(SetupBody, body));
  }

  /** Email + password → `{ user, token }`; send the token as `Authorization: Bearer`. */
  @Public()
  @Post('login')
  @HttpCode(200)
  @Summary('Sign in with email and password')
  @Answers(200, SignedIn)
  @Problems(401, 422, 429, 503)
  @ApiBody({ schema: apiSchema(LoginBody) })
  login(@Body() body: unknown) {
    const { email, password } = validateBody(LoginBody, body);
    return this.auth.login(email, password);
  }

  /** Who the token stands for. */
  @ApiBearerAuth()
  @Roles('viewer', 'operator', 'designer')
  @Get('me')
  @Summary('Who the token stands for')
  @Answers(200, Principal)
  async me(@CurrentActor() actor: Actor) {
    // The roles it acts with now (a key's are capped by its creator's).
    return { ...(await this.auth.principal(actor.id)), roles: actor.roles };
  }
}
