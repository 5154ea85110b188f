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
