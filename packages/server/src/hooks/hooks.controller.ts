import { HookAnswer } from '../api-docs/schemas/intake.schemas';
import { Answers, Problems, Summary } from '../openapi';
import { Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/roles.decorator';
import { problems } from '../problems/api-problem';
import { HooksService } from './hooks.service';

/**
 * Inbound webhooks: `POST /api/hooks/{flow}/{trigger}`. Open to the world (no bearer token):
 * every delivery must carry the Standard Webhooks signature of the trigger's secret instead.
 */
@ApiTags('hooks')
@Controller('hooks')
export class HooksController {
  constructor(private readonly hooks: HooksService) {}

  @Public()
  @Post(':flow/:trigger')
  @HttpCode(200)
  @Summary(
    'Receive a signed delivery (Standard Webhooks)',
    'No bearer token: the `webhook-id`, `webhook-timestamp` and `webhook-signature` headers are the credential.',
  )
  @ApiBody({ schema: { type: 'object', description: "the sender's payload, as signed" } })
  @Answers(200, HookAnswer, { description: 'fired, or unchanged' })
  @Answers(201, HookAnswer, { description: 'created an order' })
  @Answers(202, HookAnswer, { description: 'unmatched: an exception records it' })
  @Problems(400, 401, 403, 404, 409, 422, 429, 503)
  async receive(
    @Param('flow') flow: string,
    @Param('trigger') trigger: string,
    @Req() request: FastifyRequest & { rawBody?: Buffer },
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    if (!request.rawBody || request.body === undefined)
      throw problems.badRequest(
        'invalid_body',
        'A delivery is a JSON body (content-type: application/json)',
      );
    const answer = await this.hooks.receive({
      flow,
      trigger,
      rawBody: request.rawBody,
      body: request.body,
      headers: request.headers,
    });
    reply.status(answer.status);
    if (answer.replayed) reply.header('x-ordo-replayed', 'true');
    return answer.body;
  }
}
