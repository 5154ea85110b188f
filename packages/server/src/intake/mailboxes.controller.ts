import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { IntakeMailbox, IntakeMailboxList } from '../api-docs/schemas/intake.schemas';
import { Roles } from '../auth/roles.decorator';
import { Answers, Problems, Summary } from '../openapi';
import { problems } from '../problems/api-problem';
import { ImapPollerService } from './imap-poller.service';

const KEY = /^[a-z0-9][a-z0-9_-]{0,63}$/;

const flowKey = (key: string) => {
  if (!KEY.test(key)) throw problems.invalidParam('/flow', 'must be a flow key');
  return key;
};

/** The IMAP mailboxes flows poll for orders by e-mail: their status, and a poll now. */
@ApiTags('orders')
@ApiBearerAuth()
@Controller('intake/mailboxes')
export class MailboxesController {
  constructor(private readonly imap: ImapPollerService) {}

  @Get()
  @Summary(
    'List the polled IMAP mailboxes and their status',
    'One per published flow with `intake.email.imap`: its last poll, failures in a row, messages taken.',
  )
  @Answers(200, IntakeMailboxList)
  @Roles('operator')
  async list() {
    return { items: await this.imap.statusList() };
  }

  @Get(':flow')
  @Summary("Read a flow's polled mailbox status")
  @Answers(200, IntakeMailbox)
  @Problems(400, 404)
  @Roles('operator')
  async get(@Param('flow') flow: string) {
    const status = await this.imap.status(flowKey(flow));
    if (!status) throw problems.notFound('Mailbox of flow', flow);
    return status;
  }

  /** Polls now (after fixing a password, or to take an order without waiting). */
  @Post(':flow/poll')
  @HttpCode(200)
  @Summary("Poll a flow's mailbox now", 'Answers its status after the poll.')
  @Answers(200, IntakeMailbox)
  @Problems(400, 404, 409)
  @Roles('operator')
  async poll(@Param('flow') flow: string) {
    const status = await this.imap.pollNow(flowKey(flow));
    if (!status) throw problems.notFound('Mailbox of flow', flow);
    if (status === 'busy')
      throw problems.conflict('busy', `the mailbox of flow "${flow}" is being polled now`);
    return status;
  }
}
