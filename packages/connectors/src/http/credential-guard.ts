import { ConnectorError } from '../sdk/connector-error';
import { CredentialHosts, formatEndpoint } from './host-pattern';

/** The credential a request carries: where it may go, and its values (to strip on redirects). */
export interface RequestCredential {
  /** The credential's name, for messages. */
  name?: string;
  /** Its host:port patterns (`[]`: it goes nowhere). */
  hosts: readonly string[] | CredentialHosts;
  /** Its secret values: a header carrying one is dropped on a cross-origin redirect. */
  secrets?: readonly string[];
}

const compiled = new WeakMap<readonly string[], CredentialHosts>();

/** The credential's hosts, parsed once per list. */
export function credentialHostsOf(credential: RequestCredential): CredentialHosts {
  if (credential.hosts instanceof CredentialHosts) return credential.hosts;
  let hosts = compiled.get(credential.hosts);
  if (!hosts) {
    hosts = new CredentialHosts(credential.hosts);
    compiled.set(credential.hosts, hosts);
  }
  return hosts;
}

/**
 * Throws a non-retryable ConnectorError (`credential_host`) unless the credential may be sent
 * to `host` on `port`. Called before anything is sent — for every hop of a redirect too.
 */
export function checkCredentialHost(credential: RequestCredential, host: string, port: number) {
  const hosts = credentialHostsOf(credential);
  if (hosts.allows(host, port)) return;
  const which = credential.name ? `The credential "${credential.name}"` : 'The credential';
  throw new ConnectorError(
    hosts.hosts.length
      ? `${which} may be sent only to ${hosts.hosts.join(', ')}, not to ${formatEndpoint(host, port)}: add ${formatEndpoint(host, port)} to its hosts (PATCH /api/credentials/<name>) if that is right`
      : `${which} may be sent to no host, not to ${formatEndpoint(host, port)}: give it hosts (PATCH /api/credentials/<name>)`,
    { retryable: false, code: 'credential_host' },
  );
}
