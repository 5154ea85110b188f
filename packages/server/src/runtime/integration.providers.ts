import { ExceptionRouter } from '../exceptions/exception-router';
import { ExceptionsController } from '../exceptions/exceptions.controller';
import { ExceptionsRepository } from '../exceptions/exceptions.repository';
import { HooksController } from '../hooks/hooks.controller';
import { HooksService } from '../hooks/hooks.service';
import { ReconciliationController } from '../systems/reconciliation.controller';
import { ReconciliationService } from '../systems/reconciliation.service';
import { TasksController } from '../tasks/tasks.controller';
import { TasksRepository } from '../tasks/tasks.repository';
import { TasksService } from '../tasks/tasks.service';
import { TaskEscalator } from '../tasks/task-escalator';
import { TimerRunner } from '../timers/timer-runner';
import { TimersController } from '../timers/timers.controller';
import { TemplatesController } from '../templates/templates.controller';
import { TemplatesService } from '../templates/templates.service';
import { IntakeController } from '../intake/intake.controller';
import { IntakeService } from '../intake/intake.service';
import { ErpPullService } from '../intake/erp-pull.service';
import { ImapPollerService } from '../intake/imap-poller.service';
import { ChannelsController } from '../intake/channels.controller';
import { IntakeChannelsService } from '../intake/intake-channels.service';
import { MailboxesController } from '../intake/mailboxes.controller';
import { MailIntakeService } from '../intake/mail-intake.service';
import { MessagesController } from '../intake/messages.controller';
import { SmtpReceiver } from '../intake/smtp-receiver';
import { TimersRepository } from '../timers/timers.repository';
import { WebhookFanout } from '../webhooks/webhook-fanout';
import { WebhookSender } from '../webhooks/webhook-sender';
import { WebhooksController } from '../webhooks/webhooks.controller';
import { WebhooksRepository } from '../webhooks/webhooks.repository';
import { InternalEffects } from './internal-effects';
import { DataSetRefreshController } from '../datasets/data-set-refresh.controller';
import { DataSetRefreshService } from '../datasets/data-set-refresh.service';
import { ChatIntakeController } from '../intake/chat-intake.controller';
import { ChatIntakeService } from '../intake/chat-intake.service';

/**
 * Integration and exceptions, run beside the outbox: inbound hooks, outbound webhooks, timers,
 * tasks, exception routing and reconciliation.
 */
export const integrationControllers = [
  HooksController,
  WebhooksController,
  TasksController,
  ExceptionsController,
  ReconciliationController,
  TimersController,
  TemplatesController,
  IntakeController,
  DataSetRefreshController,
  MessagesController,
  MailboxesController,
  ChannelsController,
  ChatIntakeController,
];

export const integrationProviders = [
  ErpPullService,
  DataSetRefreshService,
  InternalEffects,
  TimersRepository,
  TimerRunner,
  TasksRepository,
  TasksService,
  TaskEscalator,
  ExceptionsRepository,
  ExceptionRouter,
  HooksService,
  WebhooksRepository,
  WebhookFanout,
  WebhookSender,
  ReconciliationService,
  TemplatesService,
  IntakeService,
  MailIntakeService,
  ChatIntakeService,
  SmtpReceiver,
  ImapPollerService,
  IntakeChannelsService,
];
