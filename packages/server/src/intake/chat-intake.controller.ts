import { Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/roles.decorator';
import { Answers, Problems, Summary } from '../openapi';
import { problems } from '../problems/api-problem';
import { ChatIntakeService, type ChatReceipt } from './chat-intake.service';

const WECOM_QUERY = ['msg_signature', 'timestamp', 'nonce'] as const;

/** The query values a WeCom callback is signed with, each given once, or 400 naming it. */
function wecomQuery(query: Record<string, unknown>, names: readonly string[]) {
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = query[name];
    if (typeof value !== 'string' || !value || value.length > 4096)
      throw problems.invalidQuery(`/${name}`, 'must be given once, as WeCom signs it');
    out[name] = value;
  }
  return out;
}

const ChatAnswer = Type.Object({
  outcome: Type.Union([Type.Literal('stored'), Type.Literal('duplicate'), Type.Literal('ignored')]),
  id: Type.Optional(Type.String({ format: 'uuid', description: 'the intake message' })),
  reason: Type.Optional(Type.String()),
});

/** The receipt's headers: the record, or that it was a redelivery taken before. */
function receipt(reply: FastifyReply, answer: ChatReceipt) {
  if (answer.outcome === 'stored') reply.header('x-ordo-message', answer.id);
  if (answer.outcome === 'duplicate') reply.header('x-ordo-replayed', 'true');
}

/**
 * Chat robots' callbacks: open to the world (no bearer token), each authenticated by its
 * platform's signature with the flow's credential instead — WeCom's msg_signature and AES
 * encryption, DingTalk's timestamp + sign. A message is stored once per message id and answered
 * in the chat once it is worked.
 */
@ApiTags('intake')
@Controller('intake')
export class ChatIntakeController {
  constructor(private readonly chat: ChatIntakeService) {}

  @Public()
  @Get('wecom/:flow')
  @Summary(
    'Verify the WeCom callback URL',
    "WeCom's URL check: `msg_signature`, `timestamp`, `nonce`, `echostr`; answers the decrypted echostr as text.",
  )
  @ApiQuery({ name: 'msg_signature' })
  @ApiQuery({ name: 'timestamp' })
  @ApiQuery({ name: 'nonce' })
  @ApiQuery({ name: 'echostr' })
  @Answers(200, Type.String({ description: 'the echostr, decrypted' }), { mediaType: 'text/plain' })
  @Problems(400, 401, 403, 404, 422, 429, 503)
  async verify(
    @Param('flow') flow: string,
    @Query() query: Record<string, unknown>,
    @Res() reply: FastifyReply,
  ) {
    const echo = await this.chat.wecomVerify(flow, wecomQuery(query, [...WECOM_QUERY, 'echostr']));
    return reply.header('content-type', 'text/plain; charset=utf-8').send(echo);
  }

  @Public()
  @Post('wecom/:flow')
  @HttpCode(200)
  @Summary(
    'Receive a WeCom application message (encrypted callback)',
    'XML with `<Encrypt>`, signed by `msg_signature` over token, timestamp, nonce and the ciphertext.',
  )
  @ApiQuery({ name: 'msg_signature' })
  @ApiQuery({ name: 'timestamp' })
  @ApiQuery({ name: 'nonce' })
  @ApiBody({
    schema: { type: 'string', description: 'the callback XML' },
    required: true,
  })
  @Answers(200, Type.String({ description: 'empty: WeCom takes it as received' }), {
    mediaType: 'text/plain',
  })
  @Problems(400, 401, 403, 404, 413, 415, 422, 429, 503)
  async wecom(
    @Param('flow') flow: string,
    @Query() query: Record<string, unknown>,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    if (typeof request.body !== 'string')
      throw problems.badRequest('invalid_body', 'A WeCom callback is an XML body (text/xml)');
    const answer = await this.chat.wecomReceive(flow, wecomQuery(query, WECOM_QUERY), request.body);
    receipt(reply, answer);
    // An empty 200 tells WeCom the message arrived (no passive reply: the answer comes by the API).
    return reply.header('content-type', 'text/plain; charset=utf-8').send('');
  }

  @Public()
  @Post('dingtalk/:flow')
  @HttpCode(200)
  @Summary(
    'Receive a DingTalk outgoing robot message',
    'Signed by the `timestamp` and `sign` headers (HMAC-SHA256 with the AppSecret); the reply goes to its sessionWebhook.',
  )
  @ApiBody({ schema: { type: 'object', description: "DingTalk's robot message" } })
  @Answers(200, ChatAnswer)
  @Problems(400, 401, 404, 413, 415, 422, 429, 503)
  async dingtalk(
    @Param('flow') flow: string,
    @Req() request: FastifyRequest & { rawBody?: Buffer },
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    if (!request.rawBody || request.body === undefined)
      throw problems.badRequest('invalid_body', 'A DingTalk callback is a JSON body');
    const header = (name: string) => {
      const value = request.headers[name];
      return typeof value === 'string' ? value : undefined;
    };
    const answer = await this.chat.dingtalkReceive(
      flow,
      { timestamp: header('timestamp'), sign: header('sign') },
      request.rawBody,
      request.body,
    );
    receipt(reply, answer);
    return answer;
  }
}
