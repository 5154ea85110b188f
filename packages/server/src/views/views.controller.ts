import { SavedView, SavedViewList } from '../api-docs/schemas/settings.schemas';
import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@ordo/engine';
import { Type } from '@sinclair/typebox';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Roles } from '../auth/roles.decorator';
import { Answers, apiSchema, Problems, Summary } from '../openapi';
import { problems } from '../problems/api-problem';
import { wholeId } from '../problems/whole-numbers';
import { validateBody } from '../problems/validate-body';
import { RuntimeClock } from '../runtime/runtime-clock';
import { ViewsRepository } from './views.repository';

/** What a view keeps: the page's own settings (filters, search), as a small JSON object. */
export const SaveViewBody = Type.Object(
  {
    settings: Type.Record(Type.String(), Type.Unknown()),
    /** Shown to everyone (who can use it but not change or delete it). */
    shared: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const PAGE = /^[a-z][a-z-]{0,31}$/;
const MAX_SETTINGS = 8_000;

/** The page a view is of, from the query (`GET`) or the path (`PUT`). */
const pageOf = (raw: string | undefined, from: 'invalidQuery' | 'invalidParam') => {
  if (!raw || !PAGE.test(raw)) throw problems[from]('/page', 'must be a page name like orders');
  return raw;
};

/** Saved views of the list pages: each person's own, and the ones shared with everyone. */
@ApiTags('views')
@ApiBearerAuth()
@Controller('views')
@Roles('viewer', 'operator', 'designer')
export class ViewsController {
  constructor(
    private readonly views: ViewsRepository,
    private readonly clock: RuntimeClock,
  ) {}

  @Get()
  @Summary("A page's saved views: the caller's and the shared ones")
  @ApiQuery({ name: 'page', required: true, schema: { type: 'string', pattern: PAGE.source } })
  @Answers(200, SavedViewList)
  @Problems(400)
  list(@Query('page') page: string | undefined, @CurrentActor() actor: Actor) {
    return this.views
      .list(pageOf(page, 'invalidQuery'), actor.id)
      .then((views) => ({ items: views.map((v) => ({ ...v, mine: v.owner === actor.id })) }));
  }

  /** Saves (or replaces) the caller's view of `page` named `name`. */
  @Put(':page/:name')
  @Summary("Save or replace the caller's view of a page")
  @Answers(200, SavedView)
  @Problems(400, 422)
  @ApiBody({ schema: apiSchema(SaveViewBody) })
  save(
    @Param('page') page: string,
    @Param('name') name: string,
    @Body() body: unknown,
    @CurrentActor() actor: Actor,
  ) {
    const { settings, shared } = validateBody(SaveViewBody, body);
    const trimmed = name.trim();
    if (!trimmed || trimmed.length > 100)
      throw problems.invalidParam('/name', 'a view name is 1 to 100 characters');
    if (JSON.stringify(settings).length > MAX_SETTINGS)
      throw problems.invalidBody([
        { path: '/settings', code: 'too_large', message: `must be under ${MAX_SETTINGS} bytes` },
      ]);
    return this.views.save({
      page: pageOf(page, 'invalidParam'),
      name: trimmed,
      settings,
      shared: shared ?? false,
      owner: actor.id,
      updatedAt: new Date(this.clock.now()).toISOString(),
    });
  }

  /** Deletes one of the caller's views (an admin may delete any shared one). */
  @Delete(':id')
  @HttpCode(204)
  @Summary('Delete a saved view', "The caller's own; an admin may delete any shared one.")
  @Answers(204)
  @Problems(404)
  async delete(@Param('id') raw: string, @CurrentActor() actor: Actor) {
    const id = wholeId(raw);
    const found = id === undefined ? undefined : await this.views.get(id);
    if (!found || (found.owner !== actor.id && !found.shared)) throw problems.notFound('View', raw);
    if (found.owner !== actor.id && !actor.roles.includes('admin'))
      throw problems.forbidden(
        `The view "${found.name}" is ${found.owner}'s: only they can delete it`,
      );
    await this.views.delete(found.id);
  }
}
