import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { IntakeChannelList } from '../api-docs/schemas/intake.schemas';
import { Roles } from '../auth/roles.decorator';
import { Answers, Problems, Summary } from '../openapi';
import { problems } from '../problems/api-problem';
import { CHANNEL_KINDS } from './intake-channels';
import { IntakeChannelsService } from './intake-channels.service';

const KEY = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const QUERY_KEYS = ['flow', 'kind'];

/** Every way orders come into the published flows: addresses, callbacks, mailboxes, pulls. */
@ApiTags('orders')
@ApiBearerAuth()
@Controller('intake/channels')
export class ChannelsController {
  constructor(private readonly channels: IntakeChannelsService) {}

  /** `flow` keeps one flow's channels, `kind` one kind's. */
  @Get()
  @Summary(
    'List the channels orders come in by',
    "Per published flow, each channel its document enables (e-mail, IMAP mailbox, WeCom, DingTalk, file import, ERP pull): where to send orders, its last message and the messages' counts by outcome.",
  )
  @Answers(200, IntakeChannelList)
  @Problems(400)
  @Roles('operator')
  @ApiQuery({ name: 'flow', required: false })
  @ApiQuery({ name: 'kind', required: false, enum: CHANNEL_KINDS })
  async list(@Query() query: Record<string, unknown>) {
    const unknown = Object.keys(query).find((k) => !QUERY_KEYS.includes(k));
    if (unknown) throw problems.invalidQuery(`/${unknown}`, 'is not a filter of the channels');
    const { flow, kind } = query;
    if (flow !== undefined && (typeof flow !== 'string' || !KEY.test(flow)))
      throw problems.invalidQuery('/flow', 'must be a flow key, given once');
    if (kind !== undefined && !CHANNEL_KINDS.includes(kind as never))
      throw problems.invalidQuery('/kind', `must be one of ${CHANNEL_KINDS.join(', ')}`);
    return { items: await this.channels.list({ flow, kind: kind as string | undefined }) };
  }
}
