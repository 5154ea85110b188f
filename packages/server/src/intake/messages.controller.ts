import { Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { IntakeMessage, IntakeMessagePage } from '../api-docs/schemas/intake.schemas';
import { Answers, Problems, Summary } from '../openapi';
import { Roles } from '../auth/roles.decorator';
import { ApiProblem, problems } from '../problems/api-problem';
import { MailIntakeService } from './mail-intake.service';
import { answerText } from './mail-answer';
import { OUTCOMES } from './message-records';

/** The channels messages come by. */
const CHANNELS = ['email', 'wecom', 'dingtalk'];

/** What a message's original is, by its channel: an e-mail, WeCom's XML, DingTalk's JSON. */
const ORIGINAL: Record<string, { type: string; ext: string }> = {
  email: { type: 'message/rfc822', ext: 'eml' },
  wecom: { type: 'application/xml', ext: 'xml' },
  dingtalk: { type: 'application/json', ext: 'json' },
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const text = (raw: unknown, path: string) => {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !raw.length || raw.length > 200)
    throw problems.invalidQuery(path, 'must be given once, 1 to 200 characters');
  return raw;
};

function cursorOf(raw: string | undefined): [string, string] | undefined {
  if (raw === undefined) return undefined;
  try {
    const value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string'))
      return value as [string, string];
  } catch {
    // the problem below
  }
  throw problems.invalidQuery('/cursor', 'must be the nextCursor of a previous page');
}

/** The messages orders came in by (e-mail, WeCom, DingTalk): their outcome, what was read, and a retry. */
@ApiTags('orders')
@ApiBearerAuth()
@Controller('intake/messages')
export class MessagesController {
  constructor(private readonly mail: MailIntakeService) {}

  /** Newest first: `flow`, `channel`, `outcome`, `limit` (1–500, default 50), `cursor`. */
  @Get()
  @Summary(
    'List the messages orders came in by (e-mail, chat)',
    'Newest first, by flow, channel and outcome.',
  )
  @Answers(200, IntakeMessagePage)
  @Problems(400)
  @Roles('operator')
  @ApiQuery({ name: 'flow', required: false })
  @ApiQuery({ name: 'channel', required: false, enum: CHANNELS })
  @ApiQuery({ name: 'outcome', required: false, enum: OUTCOMES })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'cursor', required: false })
  async list(@Query() query: Record<string, unknown>) {
    const outcome = text(query.outcome, '/outcome');
    if (outcome !== undefined && !OUTCOMES.includes(outcome as never))
      throw problems.invalidQuery('/outcome', `must be one of ${OUTCOMES.join(', ')}`);
    const channel = text(query.channel, '/channel');
    if (channel !== undefined && !CHANNELS.includes(channel))
      throw problems.invalidQuery('/channel', `must be one of ${CHANNELS.join(', ')}`);
    const limitText = text(query.limit, '/limit');
    const limit = limitText === undefined ? 50 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500)
      throw problems.invalidQuery('/limit', 'must be a whole number from 1 to 500');
    const page = await this.mail.records.list({
      flow: text(query.flow, '/flow'),
      outcome,
      channel,
      limit,
      after: cursorOf(text(query.cursor, '/cursor')),
    });
    return {
      // The list leaves out what was read (the detail has it).
      items: page.items.map(({ result: _result, ...item }) => item),
      nextCursor: page.last
        ? Buffer.from(JSON.stringify([page.last.receivedAt, page.last.id])).toString('base64url')
        : null,
    };
  }

  /**
   * One message with what was read of it (`result`: the lines understood and not, the sheets)
   * and `reply`, the answer's subject and text (null while pending, or when refused at SMTP).
   */
  @Get(':id')
  @Summary('Read one message with what was read of it')
  @Answers(200, IntakeMessage)
  @Problems(400, 404)
  @Roles('operator')
  async get(@Param('id') id: string) {
    if (!UUID.test(id)) throw problems.invalidParam('/id', 'must be a message id (a UUID)');
    const record = await this.mail.records.get(id);
    if (!record) throw problems.notFound('Message', id);
    // The answer's text, as the sender is (or was) answered: written from the record alone.
    const answered = record.outcome !== 'pending' && record.outcome !== 'rejected';
    const reply = answered
      ? answerText(record, record.channel === 'email' ? 'email' : 'chat')
      : null;
    return { ...record, reply };
  }

  /** The message as it was received (`message/rfc822`), to open in a mail program. */
  @Get(':id/raw')
  @Summary(
    'Download the original message',
    "As received: an e-mail's .eml, a WeCom message's decrypted XML, a DingTalk message's JSON; 404 when none was kept.",
  )
  @Answers(200, Type.String({ description: 'the message as received' }), {
    mediaType: 'message/rfc822',
    alternatives: {
      'application/xml': Type.String({ description: "a WeCom message's decrypted XML" }),
      'application/json': Type.String({ description: "a DingTalk message's JSON" }),
    },
  })
  @Problems(400, 404)
  @Roles('operator')
  async raw(@Param('id') id: string, @Res() reply: FastifyReply) {
    if (!UUID.test(id)) throw problems.invalidParam('/id', 'must be a message id (a UUID)');
    const [raw, record] = await Promise.all([this.mail.records.raw(id), this.mail.records.get(id)]);
    if (raw === undefined || !record) throw problems.notFound('Message', id);
    const original = ORIGINAL[record.channel] ?? ORIGINAL.email;
    if (raw === null)
      throw new ApiProblem(
        404,
        'not_kept',
        'Original not kept',
        `message ${id} was refused when it arrived (its sender is not accepted): its content was not kept`,
      );
    return reply
      .header('content-type', original.type)
      .header('content-disposition', `attachment; filename="${id}.${original.ext}"`)
      .send(raw);
  }

  /** Works a failed, refused or partly taken message again (after fixing the flow or its data). */
  @Post(':id/retry')
  @HttpCode(200)
  @Summary('Work a failed, refused or partly taken message again')
  @Answers(200, IntakeMessage)
  @Problems(400, 404, 409)
  @Roles('operator')
  async retry(@Param('id') id: string) {
    if (!UUID.test(id)) throw problems.invalidParam('/id', 'must be a message id (a UUID)');
    const record = await this.mail.records.get(id);
    if (!record) throw problems.notFound('Message', id);
    const retried = await this.mail.retry(id);
    if (!retried)
      throw problems.conflict(
        'not_retryable',
        `message ${id} is ${record.outcome}: only a failed, refused or partly taken message is worked again`,
        { outcome: record.outcome },
      );
    return retried;
  }
}
