import {
  DataSetList,
  DataSetRows,
  DataSetUpload,
  DataSetView,
} from '../api-docs/schemas/data-set.schemas';
import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiQuery, ApiTags } from '@nestjs/swagger';
import { type Actor, Label } from '@ordo/engine';
import { Type } from '@sinclair/typebox';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Roles } from '../auth/roles.decorator';
import { Answers, apiSchema, Problems, Summary } from '../openapi';
import { problems } from '../problems/api-problem';
import { validateBody } from '../problems/validate-body';
import { DataSetColumnSchema } from './data-set-column.schema';
import { DataSetsService } from './data-sets.service';

export const PutDataSetBody = Type.Object(
  {
    format: Type.Union([Type.Literal('csv'), Type.Literal('xlsx'), Type.Literal('json')]),
    /** The file: text for CSV, the text of an array of objects for JSON, base64 for Excel. */
    content: Type.String({ minLength: 1 }),
    /** The column whose cell is each row's key (default: the current version's, else the first). */
    keyColumn: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    /** Column types to use (others: the current version's, else inferred from the cells). */
    columns: Type.Optional(Type.Array(DataSetColumnSchema, { maxItems: 200 })),
    /** A string, or one per language: `{ "en": "Drug codes", "zh-CN": "药品目录" }`. */
    title: Type.Optional(Label),
    source: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    dryRun: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/** A whole number from a query string, or a 400 naming it. */
function wholeQuery(name: string, raw: string | undefined, min: number, max: number) {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw problems.invalidQuery(`/${name}`, `must be a whole number from ${min} to ${max}`);
  return n;
}

/** Reference data sets: tables with a key column that rules read with `lookup`. */
@ApiTags('data sets')
@ApiBearerAuth()
@Controller('datasets')
export class DataSetsController {
  constructor(private readonly dataSets: DataSetsService) {}

  @Get()
  @Summary('List data sets')
  @Answers(200, DataSetList)
  @Roles('viewer', 'operator', 'designer')
  async list() {
    return { items: await this.dataSets.list() };
  }

  /** The data set, with every version (newest first). */
  @Get(':key')
  @Summary('Read a data set with its versions')
  @Answers(200, DataSetView)
  @Problems(404)
  @Roles('viewer', 'operator', 'designer')
  get(@Param('key') key: string) {
    return this.dataSets.get(key);
  }

  /** A page of a version's rows (default the current one) in key order; `q` searches the keys. */
  @Get(':key/rows')
  @Summary(
    "A page of a version's rows",
    '`q` searches the keys; `version` defaults to the current one.',
  )
  @ApiQuery({ name: 'version', required: false, schema: { type: 'integer', minimum: 1 } })
  @ApiQuery({ name: 'q', required: false, schema: { type: 'string' } })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: 500 },
  })
  @ApiQuery({ name: 'cursor', required: false, schema: { type: 'string' } })
  @Answers(200, DataSetRows)
  @Problems(400, 404)
  @Roles('viewer', 'operator', 'designer')
  async rows(
    @Param('key') key: string,
    @Query('version') version?: string,
    @Query('q') q?: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ) {
    const n = wholeQuery('limit', limit, 1, 500) ?? 50;
    const page = await this.dataSets.rows(key, {
      version: wholeQuery('version', version, 1, 2 ** 31 - 1),
      q: q || undefined,
      after: cursor,
      limit: n,
    });
    return {
      version: page.version,
      items: page.items,
      nextCursor: page.more ? page.items[page.items.length - 1].key : null,
    };
  }

  /**
   * Uploads a new version (creating the set): every row checked, compared with the current
   * version; with `dryRun` only answered. Any bad row or cell: 422 listing them, nothing written.
   */
  @Put(':key')
  @Summary(
    'Upload a new version of a data set',
    'Every row checked; `dryRun` only answers. A bad row: 422, nothing written.',
  )
  @Answers(200, DataSetUpload)
  @Problems(400, 409, 422)
  @HttpCode(200)
  @Roles('designer')
  @ApiBody({ schema: apiSchema(PutDataSetBody) })
  put(@Param('key') key: string, @Body() body: unknown, @CurrentActor() actor: Actor) {
    return this.dataSets.put(key, validateBody(PutDataSetBody, body), actor);
  }

  @Delete(':key')
  @Summary('Delete a data set')
  @Answers(204)
  @Problems(404, 409)
  @HttpCode(204)
  @Roles('designer')
  delete(@Param('key') key: string, @CurrentActor() actor: Actor) {
    return this.dataSets.delete(key, actor);
  }
}
