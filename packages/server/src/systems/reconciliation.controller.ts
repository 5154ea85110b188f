import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Type } from '@sinclair/typebox';
import { Roles } from '../auth/roles.decorator';
import { pageQuery } from '../problems/page-query';
import { validateBody } from '../problems/validate-body';
import { ReconciliationService } from './reconciliation.service';

const ReconcileBody = Type.Object(
  { system: Type.Optional(Type.String({ minLength: 1 })) },
  { additionalProperties: false },
);

/** The status translator's drift reports. */
@ApiTags('systems')
@ApiBearerAuth()
@Controller('flows/:key/reconciliations')
export class ReconciliationController {
  constructor(private readonly reconciliation: ReconciliationService) {}

  /** Asks the flow's systems for their view now; one report per system. */
  @Post()
  @HttpCode(200)
  @Roles('operator', 'designer')
  async run(@Param('key') key: string, @Body() body: unknown) {
    const { system } = validateBody(ReconcileBody, body ?? {});
    return { items: await this.reconciliation.run(key, system) };
  }

  @Get()
  @Roles('viewer', 'operator', 'designer')
  async list(
    @Param('key') key: string,
    @Query('system') system?: string,
    @Query('limit') limit?: string,
  ) {
    return {
      items: await this.reconciliation.list(key, system, pageQuery(limit, undefined).limit),
    };
  }
}
