import type { Connector } from '../sdk/define-connector';
import { dingtalkSessionConnector, wecomAppConnector } from './chat-apps';
import { dingtalkConnector, slackConnector, wecomConnector } from './chat-robots';
import { emailConnector } from './email.connector';
import { httpConnector } from './http.connector';
import { webhookConnector } from './webhook.connector';

export { httpConnector } from './http.connector';
export { webhookConnector } from './webhook.connector';
export { dingtalkConnector, signDingTalk, slackConnector, wecomConnector } from './chat-robots';
export { emailConnector } from './email.connector';
export {
  oneShotTransport,
  type SmtpServer,
  SmtpTransports,
  type SmtpTransportsOptions,
} from './smtp-transports';
export {
  dingtalkSessionConnector,
  type DingTalkSessionSettings,
  wecomAppConnector,
  type WecomAppSettings,
} from './chat-apps';

/** The connectors every Ordo server has, by id. */
export const builtinConnectors: readonly Connector[] = [
  httpConnector,
  webhookConnector,
  wecomConnector,
  dingtalkConnector,
  slackConnector,
  emailConnector,
  wecomAppConnector,
  dingtalkSessionConnector,
];

/** Connectors a `notify` action can name as a channel: each has a `send` action taking text. */
export const notificationChannels = ['wecom', 'dingtalk', 'slack', 'email'] as const;
