import ipaddr from 'ipaddr.js';
import {
  formatEndpoint,
  type HostPattern,
  matchesHostPattern,
  parseHostPattern,
} from './host-pattern';

/**
 * Which addresses outbound calls may reach. A flow is written by business analysts and runs on
 * the server, so a connector must not be a way into the server's own network: only addresses
 * ipaddr.js classifies as `unicast` (public) are reached by default; private, loopback,
 * link-local (cloud metadata at 169.254.169.254), carrier-grade NAT, multicast, reserved,
 * unspecified and every translation range that could carry one of those (IPv4-mapped,
 * NAT64, 6to4, IPv4-compatible) are refused unless an admin allow-lists them.
 */
export interface AddressPolicy {
  /**
   * Exceptions an admin allows, each a `host:port` pattern (see `parseHostPattern`, grammar
   * `allow`): `wms.internal:443`, `10.0.0.7:8080`, `10.1.0.0/16:443`, `[fd00::/8]:*`,
   * `127.0.0.1:*` (every port of loopback: tests against a local server), `*:*` (everything).
   */
  allow?: readonly string[];
}

/** Thrown when a request would reach a refused address. */
export class BlockedAddressError extends Error {
  readonly code = 'blocked_address';
  constructor(
    readonly host: string,
    readonly address: string,
    readonly port?: number,
    readonly range?: string,
  ) {
    const target = port === undefined ? host : formatEndpoint(host, port);
    super(
      `Refused to call ${target} (${address}${range ? `, ${range}` : ''}): private, loopback, link-local, metadata and other non-public addresses are blocked unless an admin allow-lists ${target} in ORDO_OUTBOUND_ALLOW`,
    );
  }
}

/** The IPv4 address in the last 32 bits of an IPv6 address. */
const low32 = (ip: ipaddr.IPv6) =>
  new ipaddr.IPv4([ip.parts[6] >> 8, ip.parts[6] & 255, ip.parts[7] >> 8, ip.parts[7] & 255]);

/**
 * The ipaddr.js range of an address, `unicast` for a public one. An IPv6 address that carries
 * an IPv4 address — IPv4-mapped (`::ffff:a.b.c.d`), SIIT (`::ffff:0:a.b.c.d`), NAT64
 * (`64:ff9b::a.b.c.d`) and 6to4 (`2002:AABB:CCDD::`) — is classified by the address it carries
 * (`rfc6052 → private`); anything else in `::/8` (IPv4-compatible `::7f00:1`, reserved) is
 * refused outright. Not an address at all is `invalid`.
 */
export function addressRange(value: string): string {
  const bare = value.replace(/^\[|\]$/g, '');
  if (ipaddr.IPv4.isValidFourPartDecimal(bare)) return ipaddr.IPv4.parse(bare).range();
  if (!ipaddr.IPv6.isValid(bare)) return 'invalid';
  const ip = ipaddr.IPv6.parse(bare);
  const range = ip.range();
  const carried = (inner: ipaddr.IPv4) => {
    const innerRange = inner.range();
    return innerRange === 'unicast' ? 'unicast' : `${range} → ${innerRange}`;
  };
  const p = ip.parts;
  switch (range) {
    case 'ipv4Mapped':
    case 'rfc6145':
      return carried(low32(ip));
    case 'rfc6052':
      // 64:ff9b::/96 carries the IPv4 address in its last 32 bits; the local-use
      // 64:ff9b:1::/48 places it where the operator chose, so it stays refused.
      return p[2] === 0 && p[3] === 0 && p[4] === 0 && p[5] === 0 ? carried(low32(ip)) : range;
    case '6to4':
      return carried(new ipaddr.IPv4([p[1] >> 8, p[1] & 255, p[2] >> 8, p[2] & 255]));
    case 'unicast':
      if (p[0] < 0x100) return p.slice(0, 6).every((x) => x === 0) ? 'ipv4Compatible' : 'reserved';
      return range;
    default:
      return range;
  }
}

/** True for an address outbound calls must not reach by default (anything not `unicast`). */
export function isBlockedAddress(ip: string): boolean {
  return addressRange(ip) !== 'unicast';
}

const compiled = new WeakMap<readonly string[], HostPattern[]>();

/**
 * The allow-list's patterns, parsed once per list. Throws HostPatternError on a malformed
 * entry (a bare host without a port is one: it would open every port of the host).
 */
export function allowPatterns(policy: AddressPolicy): HostPattern[] {
  const allow = policy.allow ?? [];
  let patterns = compiled.get(allow);
  if (!patterns) {
    patterns = allow.map((entry) => parseHostPattern(entry, 'allow'));
    compiled.set(allow, patterns);
  }
  return patterns;
}

/**
 * Throws BlockedAddressError unless a call to `host` on `port`, resolved to `ip`, may go out:
 * `ip` is public, or an allow-list entry names this host (or address, or a block holding it)
 * on this port.
 */
export function checkAddress(policy: AddressPolicy, host: string, ip: string, port: number): void {
  const range = addressRange(ip);
  if (range === 'unicast') return;
  if (allowPatterns(policy).some((pattern) => matchesHostPattern(pattern, host, port, ip))) return;
  throw new BlockedAddressError(host, ip, port, range);
}
