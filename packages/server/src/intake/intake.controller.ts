import { ImportReport } from '../api-docs/schemas/intake.schemas';
import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { type Actor, ColumnMapping } from '@ordo/engine';
import { Type } from '@sinclair/typebox';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Roles } from '../auth/roles.decorator';
import { commitAnswer, KeyedAnswer } from '../idempotency/keyed-answer';
import { Answers, apiSchema, Problems, Summary } from '../openapi';
import { problems } from '../problems/api-problem';
import { validateBody } from '../problems/validate-body';
import { type ImportOptions, IntakeService } from './intake.service';
import { readTable, TableError } from './table-file';
import { readJsonLines, tableToRows, unsafeTargets } from './table-rows';

export const ImportBody = Type.Object(
  {
    format: Type.Union([Type.Literal('csv'), Type.Literal('xlsx'), Type.Literal('jsonl')]),
    /** The file: text for CSV and JSON Lines, base64 for Excel. */
    content: Type.String({ minLength: 1 }),
    /** Column → dot path into the order data, `externalRef`, or null to skip it. */
    mapping: Type.Optional(ColumnMapping),
    mode: Type.Optional(Type.Union([Type.Literal('valid'), Type.Literal('all')])),
    dryRun: Type.Optional(Type.Boolean()),
    channel: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
    /** The file's name, recorded on each order it creates (its timeline shows it). */
    fileName: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  },
  { additionalProperties: false },
);

/** Orders from files: CSV and Excel (with a column mapping) or JSON Lines. */
@ApiTags('orders')
@ApiBearerAuth()
@Controller('flows/:key/imports')
export class IntakeController {
  constructor(private readonly intake: IntakeService) {}

  /**
   * Checks every row; with `dryRun` answers the columns, their mapping, a preview and the
   * refused rows; else imports (200) — the valid rows, or with `mode: all` every row or none
   * (422 listing the refused rows).
   */
  @Post()
  @HttpCode(200)
  @Summary(
    'Import orders from a file (CSV, Excel, JSON Lines)',
    '`dryRun` previews; `mode: all` imports every row or none (422 listing the refused rows).',
  )
  @Answers(200, ImportReport)
  @Problems(403, 404, 409, 422)
  @Roles('operator')
  @ApiBody({ schema: apiSchema(ImportBody) })
  async import(
    @Param('key') key: string,
    @Body() body: unknown,
    @CurrentActor() actor: Actor,
    @KeyedAnswer(200) keyed?: KeyedAnswer,
  ) {
    const request = validateBody(ImportBody, body);
    const options: ImportOptions = {
      mode: request.mode ?? 'valid',
      dryRun: request.dryRun,
      channel: request.channel ?? (request.format === 'jsonl' ? 'api' : request.format),
      source: { kind: 'file', ...(request.fileName && { name: request.fileName }) },
      ...(keyed && { keyed: (tx, answer) => commitAnswer(tx, keyed, answer) }),
    };
    if (request.format === 'jsonl')
      return this.intake.import(key, readJsonLines(request.content), options, actor);
    let table;
    try {
      table = await readTable(request.format, request.content);
    } catch (error) {
      if (error instanceof TableError)
        throw problems.invalidBody([
          { path: '/content', code: 'unreadable', message: error.message },
        ]);
      throw error;
    }
    const unknown = Object.keys(request.mapping ?? {}).filter((c) => !table.columns.includes(c));
    if (unknown.length)
      throw problems.invalidBody(
        unknown.map((c) => ({
          path: `/mapping/${c}`,
          code: 'unknown_column',
          message: `the file has no column "${c}" (it has: ${table.columns.join(', ')})`,
        })),
      );
    const unsafe = unsafeTargets(table.columns, request.mapping);
    if (unsafe.length) throw problems.invalidBody(unsafe);
    const fields = await this.intake.fields(key);
    return this.intake.import(key, tableToRows(table, fields, request.mapping), options, actor, {
      columns: table.columns,
      mapping: request.mapping,
    });
  }
}
