import { Injectable } from '@nestjs/common';
import { describeErrors, notificationChannels } from '@ordo/connectors';
import { type Flow, flowActions, jsonPointer, type Problem } from '@ordo/engine';
import { ConnectorRegistry } from './connector-registry';

/**
 * What only the server can check in a flow: that its connector instances name connectors
 * installed here, with valid settings, and that its calls name actions those connectors have.
 * (The engine's lint checks the rest, without knowing what is installed.)
 */
@Injectable()
export class FlowConnectorCheck {
  constructor(private readonly registry: ConnectorRegistry) {}

  problems(doc: unknown): Problem[] {
    const flow = doc as Partial<Flow>;
    if (
      !flow ||
      typeof flow !== 'object' ||
      !flow.connectors ||
      typeof flow.connectors !== 'object'
    )
      return [];
    const out: Problem[] = [];
    const error = (path: string, code: string, message: string) =>
      out.push({ path, code, message, severity: 'error' });
    const installed = this.registry.describe().map((c) => c.id);
    for (const [name, instance] of Object.entries(flow.connectors)) {
      const connector = instance?.type ? this.registry.get(instance.type) : undefined;
      if (!instance?.type) continue;
      if (!connector) {
        error(
          jsonPointer(['connectors', name, 'type']),
          'unknown_connector_type',
          `No connector "${instance.type}" is installed on this server (installed: ${installed.join(', ')})`,
        );
        continue;
      }
      const validate = connector.validators.settings;
      if (validate && !validate(structuredClone(instance.settings ?? {})))
        for (const e of validate.errors ?? [])
          error(
            jsonPointer(['connectors', name, 'settings']) + e.instancePath,
            'invalid_settings',
            `Settings of "${name}" (${connector.id}): ${describeErrors([e])}`,
          );
    }
    for (const [action, path] of flowActions(flow)) {
      if (action && typeof action === 'object' && 'notify' in action)
        (action.notify?.channels ?? []).forEach((channel, i) => {
          const type = flow.connectors![channel]?.type;
          if (type && !(notificationChannels as readonly string[]).includes(type))
            error(
              `${path}/notify/channels/${i}`,
              'not_a_channel',
              `"${channel}" is a ${type} connector, not a notification channel (${notificationChannels.join(', ')})`,
            );
        });
      if (!action || typeof action !== 'object' || !('call' in action)) continue;
      const instance = flow.connectors[action.call.connector];
      const connector = instance && this.registry.get(instance.type);
      if (connector && !connector.actions[action.call.action])
        error(
          `${path}/call/action`,
          'unknown_action',
          `Connector "${connector.id}" has no action "${action.call.action}" (it has: ${Object.keys(connector.actions).join(', ')})`,
        );
    }
    return out;
  }
}
