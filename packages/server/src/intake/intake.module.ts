import { Module } from '@nestjs/common';
import { CredentialsModule } from '../credentials/credentials.module';
import { FlowsModule } from '../flows/flows.module';
import { OrdersModule } from '../orders/orders.module';
import { ChannelsController } from './channels.controller';
import { ChatIntakeController } from './chat-intake.controller';
import { ChatIntakeService } from './chat-intake.service';
import { ErpPullService } from './erp-pull.service';
import { ImapPollerService } from './imap-poller.service';
import { IntakeController } from './intake.controller';
import { IntakeChannelsService } from './intake-channels.service';
import { IntakeService } from './intake.service';
import { MailIntakeService } from './mail-intake.service';
import { MailboxesController } from './mailboxes.controller';
import { MessagesController } from './messages.controller';
import { SmtpReceiver } from './smtp-receiver';

/** Orders coming in: files, mail (SMTP and IMAP), chat, and pulls from an ERP. */
@Module({
  imports: [FlowsModule, OrdersModule, CredentialsModule],
  controllers: [
    IntakeController,
    MessagesController,
    MailboxesController,
    ChannelsController,
    ChatIntakeController,
  ],
  providers: [
    IntakeService,
    ErpPullService,
    MailIntakeService,
    ChatIntakeService,
    SmtpReceiver,
    ImapPollerService,
    IntakeChannelsService,
  ],
  exports: [IntakeService, ErpPullService],
})
export class IntakeModule {}
