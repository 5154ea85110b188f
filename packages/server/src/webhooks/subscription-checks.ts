import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import {
  type AddressPolicy,
  BlockedAddressError,
  checkAddress,
  webhookSecretProblem,
} from '@ordo/connectors';
import { type ProblemDetail, problems } from '../problems/api-problem';

/**
 * Refuses a subscription URL whose host is, or resolves to, an address the server's outbound
 * policy refuses (loopback, private, link-local… unless `ORDO_OUTBOUND_ALLOW` lets it): a 422
 * at `/url`, so that no subscription is stored that every delivery would be refused for, for
 * three days. Every address the name resolves to is checked (the HTTP client checks them again
 * at each delivery, against a name that changes its answer later).
 */
export async function checkSubscriptionUrl(policy: AddressPolicy, url: string): Promise<void> {
  const refuse = (message: string): never => {
    throw problems.invalidBody([{ path: '/url', code: 'refused_address', message }]);
  };
  let host: string;
  let port: number;
  try {
    const parsed = new URL(url);
    host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
    port = Number(parsed.port) || (parsed.protocol === 'http:' ? 80 : 443);
  } catch {
    return refuse('must be an absolute http(s) URL');
  }
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
    } catch (error) {
      return refuse(
        `the host ${host} does not resolve (${(error as NodeJS.ErrnoException).code ?? 'no address'}): give a host name this server can resolve`,
      );
    }
  }
  try {
    for (const address of addresses) checkAddress(policy, host, address, port);
  } catch (error) {
    if (!(error instanceof BlockedAddressError)) throw error;
    refuse(
      `${error.message} (the server's outbound policy: ORDO_OUTBOUND_ALLOW); deliveries to it would be refused`,
    );
  }
}

/** A problem at `/secret` when a given subscription secret is not `whsec_` and ≥ 24 key bytes. */
export function subscriptionSecretProblem(secret: string | undefined): ProblemDetail | undefined {
  const problem = secret === undefined ? null : webhookSecretProblem(secret);
  return problem
    ? {
        path: '/secret',
        code: 'invalid_secret',
        message: `${problem} (leave it out and Ordo generates one: whsec_ and 32 random bytes in base64)`,
      }
    : undefined;
}
