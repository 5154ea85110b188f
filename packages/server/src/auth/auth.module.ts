import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { LIVE_AUTHENTICATOR } from '../live/live.gateway';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService, TOKEN_LIFETIME_SECONDS } from './auth.service';
import { PeopleController } from './people.controller';
import { PeopleService } from './people.service';
import { PrincipalsRepository } from './principals.repository';

/** Access control: principals, API keys, login tokens and the global guard. */
@Module({})
export class AuthModule {
  static forRoot(jwtSecret: string): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      imports: [
        JwtModule.register({
          secret: jwtSecret,
          signOptions: { expiresIn: TOKEN_LIFETIME_SECONDS, algorithm: 'HS256' },
        }),
      ],
      controllers: [AuthController, PeopleController],
      providers: [
        PrincipalsRepository,
        AuthService,
        PeopleService,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: LIVE_AUTHENTICATOR, useExisting: AuthService },
      ],
      exports: [AuthService, LIVE_AUTHENTICATOR],
    };
  }
}
