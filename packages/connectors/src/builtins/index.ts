import type { Connector } from '../sdk/define-connector';
import { httpConnector } from './http.connector';
import { webhookConnector } from './webhook.connector';

export { httpConnector } from './http.connector';
export { signWebhook, webhookConnector } from './webhook.connector';

/** The connectors every Ordo server has, by id. */
export const builtinConnectors: readonly Connector[] = [httpConnector, webhookConnector];
