import { isIP } from 'node:net';

/**
 * Which addresses outbound calls may reach. A flow is written by business analysts and runs on
 * the server, so a connector must not be a way into the server's own network: private,
 * loopback, link-local (cloud metadata at 169.254.169.254), carrier-grade NAT, multicast and
 * unspecified addresses are refused unless an admin allow-lists them.
 */
export interface AddressPolicy {
  /**
   * Exceptions an admin allows: host names (`wms.internal`), IP addresses (`10.0.0.7`) or
   * IPv4 CIDR blocks (`10.1.0.0/16`), or `*` for every address (tests against a local server).
   */
  allow?: readonly string[];
}

/** Thrown when a request would reach a refused address. */
export class BlockedAddressError extends Error {
  readonly code = 'blocked_address';
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(
      `Refused to call ${host} (${address}): private, loopback, link-local and metadata addresses are blocked unless an admin allow-lists them`,
    );
  }
}

const ipv4ToNumber = (ip: string): number =>
  ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);

/** IPv4 blocks no outbound call reaches by default. */
const BLOCKED_V4: readonly [string, number][] = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
];

function inV4Block(ip: string, [base, bits]: readonly [string, number]): boolean {
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return (ipv4ToNumber(ip) & mask) >>> 0 === (ipv4ToNumber(base) & mask) >>> 0;
}

/** The IPv4 address inside an IPv4-mapped or -compatible IPv6 address, if any. */
function embeddedV4(ip: string): string | undefined {
  const match = /^(?:0*:)*:?(?:ffff:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (match) return match[1];
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(ip);
  if (!hex) return undefined;
  const [hi, lo] = [parseInt(hex[1], 16), parseInt(hex[2], 16)];
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

/** True for an address outbound calls must not reach by default. */
export function isBlockedAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 4) return BLOCKED_V4.some((block) => inV4Block(ip, block));
  if (family !== 6) return true; // not an address at all: refuse rather than guess
  const v4 = embeddedV4(ip);
  if (v4) return isBlockedAddress(v4);
  const lower = ip.toLowerCase();
  if (lower === '::' || lower === '::1') return true;
  const first = parseInt(lower.split(':')[0] || '0', 16);
  return (
    (first & 0xfe00) === 0xfc00 || // unique local fc00::/7
    (first & 0xffc0) === 0xfe80 || // link-local fe80::/10
    (first & 0xff00) === 0xff00 // multicast
  );
}

/** True when the admin's allow-list lets `host` (resolved to `ip`) through. */
function allowed(policy: AddressPolicy, host: string, ip: string): boolean {
  return (policy.allow ?? []).some((entry) => {
    if (entry === '*') return true;
    if (entry.toLowerCase() === host.toLowerCase() || entry === ip) return true;
    const cidr = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(entry);
    return cidr !== null && isIP(ip) === 4 && inV4Block(ip, [cidr[1], Number(cidr[2])]);
  });
}

/** Throws BlockedAddressError unless `host` resolved to `ip` may be called. */
export function checkAddress(policy: AddressPolicy, host: string, ip: string): void {
  if (isBlockedAddress(ip) && !allowed(policy, host, ip)) throw new BlockedAddressError(host, ip);
}
