import { Injectable } from '@nestjs/common';
import {
  CredentialHosts,
  describeErrors,
  formatEndpoint,
  notificationChannels,
} from '@ordo/connectors';
import { type Flow, flowActions, jsonPointer, type Problem } from '@ordo/engine';
import { credentialHosts } from '../credentials/credential-hosts';
import type { SqlExecutor } from '../database/db';
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

  /**
   * The host:port each credential of the flow would be sent to, from its connector instances'
   * settings (what a template's credentials are created with).
   */
  credentialEndpoints(flow: Partial<Flow>): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const instance of Object.values(flow.connectors ?? {})) {
      if (!instance?.credential) continue;
      const connector = this.registry.get(instance.type);
      const settings = structuredClone(instance.settings ?? {});
      if (!connector?.endpoints || !(connector.validators.settings?.(settings) ?? true)) continue;
      const list = out.get(instance.credential) ?? [];
      for (const e of connector.endpoints(settings)) {
        const target = formatEndpoint(e.host, e.port);
        if (!list.includes(target)) list.push(target);
      }
      out.set(instance.credential, list);
    }
    return out;
  }

  /**
   * That every connector instance sends its credential only to the credential's hosts: each
   * destination its settings name (the http connector's `baseUrl`, SMTP's `host` and `port`)
   * must match one of them — an error at the setting's path, naming the credential. A
   * credential that is not stored yet is a warning (the first call would fail).
   */
  async credentialProblems(doc: unknown, db: SqlExecutor): Promise<Problem[]> {
    const flow = doc as Partial<Flow>;
    if (
      !flow ||
      typeof flow !== 'object' ||
      !flow.connectors ||
      typeof flow.connectors !== 'object'
    )
      return [];
    const instances = Object.entries(flow.connectors).filter(
      ([, instance]) => typeof instance?.credential === 'string' && instance.credential !== '',
    );
    if (!instances.length) return [];
    const stored = await credentialHosts(
      db,
      instances.map(([, instance]) => instance.credential!),
    );
    const out: Problem[] = [];
    for (const [name, instance] of instances) {
      const credential = instance.credential!;
      const hosts = stored.get(credential);
      if (!hosts) {
        out.push({
          path: jsonPointer(['connectors', name, 'credential']),
          code: 'unknown_credential',
          message: `No credential "${credential}" is stored: store it with POST /api/credentials { name, secret, hosts } before the first call`,
          severity: 'warning',
        });
        continue;
      }
      const connector = instance.type ? this.registry.get(instance.type) : undefined;
      const settings = structuredClone(instance.settings ?? {});
      // Defaults filled in (the WeCom robot's URL); invalid settings are reported above.
      if (!connector?.endpoints || !(connector.validators.settings?.(settings) ?? true)) continue;
      let allowed: CredentialHosts;
      try {
        allowed = new CredentialHosts(hosts);
      } catch {
        allowed = new CredentialHosts([]);
      }
      for (const endpoint of connector.endpoints(settings)) {
        if (allowed.allows(endpoint.host, endpoint.port)) continue;
        const target = formatEndpoint(endpoint.host, endpoint.port);
        out.push({
          path: jsonPointer(['connectors', name, 'settings']) + endpoint.setting,
          code: 'credential_host',
          message: hosts.length
            ? `Connector "${name}" would send the credential "${credential}" to ${target}, which is not one of its hosts (${hosts.join(', ')}): point it at one of them, or add ${target} to the credential's hosts (PATCH /api/credentials/${credential})`
            : `Connector "${name}" would send the credential "${credential}" to ${target}, but that credential may be sent to no host: give it hosts (PATCH /api/credentials/${credential} { "hosts": ["${target}"] })`,
          severity: 'error',
        });
      }
    }
    return out;
  }
}
