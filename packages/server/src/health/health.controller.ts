import { Health } from '../api-docs/schemas/access.schemas';
import { Answers, Problems, Summary } from '../openapi';
import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/roles.decorator';
import { ORDO_CONFIG } from '../config/config.module';
import type { OrdoConfig } from '../config/ordo-config';
import { DB } from '../database/database.module';
import type { Db } from '../database/db';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require('../../package.json') as { version: string };

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(DB) private readonly db: Db,
    @Inject(ORDO_CONFIG) private readonly config: OrdoConfig,
  ) {}

  /** Whether the server and its database answer; which database and mode; the version. */
  @Public()
  @Get()
  @Summary('Whether the server and its database answer')
  @Answers(200, Health)
  @Problems(503)
  async health() {
    await this.db.query('SELECT 1 AS ok');
    return {
      status: 'ok',
      database: this.db.kind,
      mode: this.config.redisUrl ? 'cluster' : 'embedded',
      version,
    };
  }
}
