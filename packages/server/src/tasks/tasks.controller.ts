import { Task, TaskComment, TaskDetail, TaskPage } from '../api-docs/schemas/work.schemas';
import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@ordo/engine';
import { Type } from '@sinclair/typebox';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Roles } from '../auth/roles.decorator';
import { commitAnswer, KeyedAnswer } from '../idempotency/keyed-answer';
import { Answers, apiSchema, Paged, Problems, Summary } from '../openapi';
import { problems } from '../problems/api-problem';
import { wholeId } from '../problems/whole-numbers';
import { pageQuery } from '../problems/page-query';
import { validateBody } from '../problems/validate-body';
import type { TaskStatus } from './tasks.repository';
import { TasksService } from './tasks.service';

export const ResolveTaskBody = Type.Object(
  {
    /** An event fired on the task's order, as the person resolving. */
    event: Type.Optional(Type.String({ minLength: 1 })),
    payload: Type.Optional(Type.Unknown()),
    /** A JSON merge patch of the order data, applied before the event. */
    patch: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    comment: Type.Optional(Type.String({ minLength: 1, maxLength: 10_000 })),
  },
  { additionalProperties: false },
);
export const ReassignTaskBody = Type.Object(
  { assignee: Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()]) },
  { additionalProperties: false },
);
export const CommentBody = Type.Object(
  { body: Type.String({ minLength: 1, maxLength: 10_000 }) },
  { additionalProperties: false },
);

const STATUSES: TaskStatus[] = ['open', 'claimed', 'closed'];

const TaskQuery = Type.Object({
  queue: Type.Optional(Type.String()),
  status: Type.Optional(Type.Union(STATUSES.map((s) => Type.Literal(s)))),
  assignee: Type.Optional(Type.String({ description: 'a person id, or me' })),
  orderId: Type.Optional(Type.String()),
});

const taskId = (raw: string) => {
  const n = wholeId(raw);
  if (n === undefined) throw problems.notFound('Task', raw);
  return n;
};

/**
 * Human tasks: the queues a person's roles work (admins: all). Viewers may read them; claiming,
 * reassigning and resolving need `operator`, and a resolution's patch and event go through the
 * same ownership check as any other change.
 */
@ApiTags('tasks')
@ApiBearerAuth()
@Controller('tasks')
@Roles('viewer', 'operator', 'designer')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  /** Open and claimed tasks (or `status=closed`), by queue, assignee (`me` for oneself) or order. */
  @Get()
  @Summary('List tasks', 'Open and claimed (or status=closed), by queue, assignee (`me`) or order.')
  @Paged(TaskQuery)
  @Answers(200, TaskPage)
  @Problems(400)
  list(
    @CurrentActor() actor: Actor,
    @Query('queue') queue?: string,
    @Query('status') status?: string,
    @Query('assignee') assignee?: string,
    @Query('orderId') orderId?: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ) {
    if (status !== undefined && !STATUSES.includes(status as TaskStatus))
      throw problems.invalidQuery('/status', `must be one of ${STATUSES.join(', ')}`);
    return this.tasks.list(
      {
        queue,
        status: status as TaskStatus | undefined,
        assignee: assignee === 'me' ? actor.id : assignee,
        orderId,
        ...pageQuery(limit, cursor),
      },
      actor,
    );
  }

  @Get(':id')
  @Summary('Read a task with its comments')
  @Answers(200, TaskDetail)
  @Problems(404)
  get(@Param('id') id: string, @CurrentActor() actor: Actor) {
    return this.tasks.get(taskId(id), actor);
  }

  @Roles('operator')
  @Post(':id/claim')
  @HttpCode(200)
  @Summary('Claim a task')
  @Answers(200, Task)
  @Problems(404, 409)
  claim(@Param('id') id: string, @CurrentActor() actor: Actor) {
    return this.tasks.claim(taskId(id), actor);
  }

  @Roles('operator')
  @Post(':id/reassign')
  @HttpCode(200)
  @Summary('Assign a task to someone, or back to its queue (null)')
  @Answers(200, Task)
  @Problems(404, 409, 422)
  @ApiBody({ schema: apiSchema(ReassignTaskBody) })
  reassign(@Param('id') id: string, @Body() body: unknown, @CurrentActor() actor: Actor) {
    const { assignee } = validateBody(ReassignTaskBody, body);
    return this.tasks.reassign(taskId(id), assignee, actor);
  }

  /** Working a task changes it (and its order): operators, not viewers. */
  @Roles('operator')
  @Post(':id/resolve')
  @HttpCode(200)
  @Summary(
    'Resolve a task',
    'Optionally patch its order and fire an event, as the person resolving.',
  )
  @Answers(200, Task)
  @Problems(404, 409, 422)
  @ApiBody({ schema: apiSchema(ResolveTaskBody) })
  resolve(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentActor() actor: Actor,
    @KeyedAnswer(200) answer?: KeyedAnswer,
  ) {
    return this.tasks.resolve(
      taskId(id),
      validateBody(ResolveTaskBody, body ?? {}),
      actor,
      answer && ((tx, task) => commitAnswer(tx, answer, task)),
    );
  }

  @Post(':id/comments')
  @Summary('Comment on a task')
  @Answers(201, TaskComment)
  @Problems(404, 422)
  @ApiBody({ schema: apiSchema(CommentBody) })
  comment(@Param('id') id: string, @Body() body: unknown, @CurrentActor() actor: Actor) {
    return this.tasks.comment(taskId(id), validateBody(CommentBody, body).body, actor);
  }
}
