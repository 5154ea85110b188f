import type { ConnectorLog } from '@ordo/connectors';
import { runtimeLog } from './runtime-log';

const log = runtimeLog('connector');

/**
 * Where a connector action's `ctx.log` lines go: the server log, tagged with the connector,
 * the action and what ran it (an effect's key, a report, a reconciliation). runAction has
 * already blanked the credential's values out of them.
 */
export function connectorLog(connector: string, action: string, ran: string): ConnectorLog {
  return {
    info: (message, fields) => log.info({ connector, action, ran, fields }, message),
    warn: (message, fields) => log.warn({ connector, action, ran, fields }, message),
  };
}
