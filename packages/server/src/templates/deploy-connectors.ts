import { describeErrors } from '@ordo/connectors';
import { type Flow, jsonPointer } from '@ordo/engine';
import type { ConnectorRegistry } from '../connectors/connector-registry';
import type { ProblemDetail } from '../problems/api-problem';

/** What a deploy changes of one connector instance: its settings, and the credential it sends. */
export interface DeployConnectorChange {
  settings?: Record<string, unknown>;
  /** The secret's fields (the connector's `auth` schema), stored instead of a placeholder. */
  credential?: Record<string, string>;
}

/** The template's flow as this deploy makes it, and the credentials the user gave. */
export interface DeployConnectors {
  flow: Flow;
  /** By credential name: the secret given for it. */
  given: Map<string, Record<string, string>>;
  /** Everything wrong with the changes, each at its path in the deploy body. */
  problems: ProblemDetail[];
}

/** The name a credential given for an instance that names none is stored under. */
export const givenCredentialName = (flowKey: string, connector: string) =>
  `${flowKey}-${connector}`;

/**
 * Applies a deploy's connector changes to the template's flow: settings merged over the
 * template's (then checked against the connector's settings schema), a given credential
 * checked against its `auth` schema and named on the instance (an instance that names none
 * gets `<flow>-<connector>`). Nothing is stored here: the caller writes only when there is
 * no problem.
 */
export function applyDeployConnectors(
  template: Flow,
  changes: Record<string, DeployConnectorChange>,
  registry: ConnectorRegistry,
): DeployConnectors {
  const flow = structuredClone(template);
  const given = new Map<string, Record<string, string>>();
  const problems: ProblemDetail[] = [];
  const known = Object.keys(flow.connectors ?? {});
  for (const [name, change] of Object.entries(changes)) {
    const instance = flow.connectors?.[name];
    if (!instance) {
      problems.push({
        path: jsonPointer(['connectors', name]),
        code: 'unknown_connector',
        message: `the template's flow has no connector "${name}" (it has: ${known.join(', ')})`,
      });
      continue;
    }
    const connector = registry.get(instance.type);
    instance.settings = { ...instance.settings, ...change.settings };
    const validSettings = connector?.validators.settings;
    if (validSettings && !validSettings(structuredClone(instance.settings)))
      for (const e of validSettings.errors ?? [])
        problems.push({
          path: jsonPointer(['connectors', name, 'settings']) + e.instancePath,
          code: 'invalid_settings',
          message: `Settings of "${name}" (${connector.id}): ${describeErrors([e])}`,
        });
    if (!change.credential) continue;
    const at = jsonPointer(['connectors', name, 'credential']);
    const fields = Object.keys((connector?.auth?.properties as object | undefined) ?? {});
    for (const field of Object.keys(change.credential))
      if (fields.length && !fields.includes(field))
        problems.push({
          path: `${at}/${field}`,
          code: 'unknown_credential_field',
          message: `a ${instance.type} credential has no field "${field}" (it has: ${fields.join(', ')})`,
        });
    const validAuth = connector?.validators.auth;
    if (validAuth && !validAuth(structuredClone(change.credential)))
      for (const e of validAuth.errors ?? [])
        problems.push({
          path: at + e.instancePath,
          code: 'invalid_credential',
          message: `Credential of "${name}" (${instance.type}): ${describeErrors([e])}`,
        });
    instance.credential ??= givenCredentialName(flow.key, name);
    const before = given.get(instance.credential);
    if (before && JSON.stringify(before) !== JSON.stringify(change.credential))
      problems.push({
        path: at,
        code: 'credential_conflict',
        message: `another connector sends the same credential "${instance.credential}" with other values: give it once`,
      });
    given.set(instance.credential, change.credential);
  }
  return { flow, given, problems };
}
