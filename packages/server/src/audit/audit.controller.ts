import { AuditPage } from '../api-docs/schemas/runtime.schemas';
import { Answers, Problems, Summary } from '../openapi';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { problems } from '../problems/api-problem';
import { pageQuery } from '../problems/page-query';
import { AUDIT_ENTITIES, type AuditEntity, AuditLog } from './audit-log';

const text = (raw: unknown, path: string) => {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !raw.length || raw.length > 200)
    throw problems.invalidQuery(path, 'must be given once, 1 to 200 characters');
  return raw;
};

const time = (raw: unknown, path: string) => {
  const value = text(raw, path);
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(ms))
    throw problems.invalidQuery(
      path,
      'must be an ISO-8601 date or time, e.g. 2026-03-01 or 2026-03-01T08:00:00Z',
    );
  return new Date(ms).toISOString();
};

/** The audit log of administrative changes (admin only), newest first. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditLog) {}

  /** `actor`, `entity` (user, key, credential, webhook, flow, migration, template), `entityId`, `from`/`to` (ISO-8601, `[from, to)`), `limit`, `cursor`. */
  @Roles()
  @Get()
  @Summary('The audit log of administrative changes, newest first')
  @Answers(200, AuditPage)
  @Problems(400)
  @ApiQuery({ name: 'actor', required: false })
  @ApiQuery({ name: 'entity', required: false, enum: AUDIT_ENTITIES })
  @ApiQuery({ name: 'entityId', required: false })
  @ApiQuery({ name: 'from', required: false })
  @ApiQuery({ name: 'to', required: false })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'cursor', required: false })
  list(@Query() query: Record<string, unknown>) {
    const entity = text(query.entity, '/entity');
    if (entity !== undefined && !AUDIT_ENTITIES.includes(entity as AuditEntity))
      throw problems.invalidQuery('/entity', `must be one of ${AUDIT_ENTITIES.join(', ')}`);
    const from = time(query.from, '/from');
    const to = time(query.to, '/to');
    if (from && to && from >= to) throw problems.invalidQuery('/from', 'must be before `to`');
    return this.audit.list({
      actor: text(query.actor, '/actor'),
      entity: entity as AuditEntity | undefined,
      entityId: text(query.entityId, '/entityId'),
      from,
      to,
      ...pageQuery(text(query.limit, '/limit'), text(query.cursor, '/cursor')),
    });
  }
}
