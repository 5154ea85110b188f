import ipaddr from 'ipaddr.js';

/** An IPv4 or IPv6 address as ipaddr.js parses it. */
export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * A `host:port` pattern: where a credential may be sent, or what an admin allows outbound calls
 * to reach although it is private. The grammar (one for both):
 *
 * - `host:port` — `port` is 1–65535, or `*` for every port (always written, never implied);
 * - `host` is a DNS name (`api.bank.example`, lower-cased, IDN as punycode), `*.name` (every
 *   name ending in `.name`, at any depth, not `name` itself), an IPv4 address (`127.0.0.1`) or
 *   an IPv6 address in brackets (`[::1]`);
 * - in the outbound allow-list only: a CIDR block (`10.1.0.0/16`, `[fd00::/8]`) matched against
 *   the resolved address, or `*` for every host.
 */
export interface HostPattern {
  /** The pattern as written (normalised: lower case). */
  readonly text: string;
  readonly host:
    | { kind: 'any' }
    | { kind: 'name'; name: string }
    | { kind: 'suffix'; suffix: string }
    | { kind: 'ip'; ip: IpAddress }
    | { kind: 'cidr'; range: [IpAddress, number] };
  /** A port, or `*` for every port. */
  readonly port: number | '*';
}

/** Which grammar: a credential's hosts, or the outbound allow-list (CIDR blocks and `*` too). */
export type HostPatternUse = 'credential' | 'allow';

/** A pattern that does not parse; the message says how to write it. */
export class HostPatternError extends Error {
  readonly code = 'invalid_host_pattern';
  constructor(
    readonly pattern: string,
    reason: string,
  ) {
    super(`"${pattern}" is not a host:port pattern: ${reason}`);
  }
}

const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;
const HOW = 'write host:port, e.g. api.example.com:443, *.example.com:443 or 127.0.0.1:*';

function parseName(text: string, name: string): string {
  const labels = name.split('.');
  if (name.length > 253 || !labels.every((label) => LABEL.test(label)))
    throw new HostPatternError(text, `"${name}" is not a host name (${HOW})`);
  if (/^[0-9]+$/.test(labels[labels.length - 1]))
    throw new HostPatternError(text, `"${name}" is neither a host name nor an IPv4 address`);
  return name;
}

function parseIp(text: string, value: string, family: 4 | 6): IpAddress {
  const valid =
    family === 4 ? ipaddr.IPv4.isValidFourPartDecimal(value) : ipaddr.IPv6.isValid(value);
  if (!valid) throw new HostPatternError(text, `"${value}" is not an IPv${family} address`);
  return ipaddr.parse(value);
}

function parseCidr(text: string, value: string, family: 4 | 6): [IpAddress, number] {
  const [address, bits] = value.split('/');
  const ip = parseIp(text, address, family);
  const max = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > max)
    throw new HostPatternError(text, `/${bits} is not a prefix length from 0 to ${max}`);
  return [ip, Number(bits)];
}

/** Parses one pattern; throws HostPatternError saying what is wrong. */
export function parseHostPattern(raw: string, use: HostPatternUse): HostPattern {
  const text = String(raw).trim().toLowerCase();
  let hostText: string;
  let portText: string;
  let bracketed = false;
  if (text.includes('/') && /^[a-z][a-z0-9+.-]*:\/\//.test(text))
    throw new HostPatternError(raw, `write host:port, not a URL (${HOW})`);
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    if (end < 0 || text[end + 1] !== ':')
      throw new HostPatternError(raw, `an IPv6 host needs its port: [::1]:8080 (${HOW})`);
    hostText = text.slice(1, end);
    portText = text.slice(end + 2);
    bracketed = true;
  } else {
    const colon = text.lastIndexOf(':');
    if (colon < 0) throw new HostPatternError(raw, `it names no port (${HOW})`);
    hostText = text.slice(0, colon);
    portText = text.slice(colon + 1);
    if (hostText.includes(':'))
      throw new HostPatternError(raw, `write an IPv6 address in brackets: [${hostText}]:port`);
  }
  if (!/^(\*|[1-9][0-9]{0,4})$/.test(portText) || (portText !== '*' && Number(portText) > 65535))
    throw new HostPatternError(
      raw,
      `"${portText}" is not a port (1 to 65535, or * for every port)`,
    );
  const port = portText === '*' ? '*' : Number(portText);
  const allowOnly = (what: string) => {
    if (use !== 'allow')
      throw new HostPatternError(raw, `${what} is allowed in ORDO_OUTBOUND_ALLOW only (${HOW})`);
  };
  let host: HostPattern['host'];
  if (bracketed) {
    if (hostText.includes('/')) {
      allowOnly('a CIDR block');
      host = { kind: 'cidr', range: parseCidr(raw, hostText, 6) };
    } else host = { kind: 'ip', ip: parseIp(raw, hostText, 6) };
  } else if (hostText === '*') {
    allowOnly('every host (*)');
    host = { kind: 'any' };
  } else if (hostText.startsWith('*.')) {
    host = { kind: 'suffix', suffix: parseName(raw, hostText.slice(2).replace(/\.$/, '')) };
  } else if (hostText.includes('/')) {
    allowOnly('a CIDR block');
    host = { kind: 'cidr', range: parseCidr(raw, hostText, 4) };
  } else if (/^[0-9.]+$/.test(hostText)) {
    host = { kind: 'ip', ip: parseIp(raw, hostText, 4) };
  } else if (hostText === '') {
    throw new HostPatternError(raw, `it names no host (${HOW})`);
  } else host = { kind: 'name', name: parseName(raw, hostText.replace(/\.$/, '')) };
  return { text, host, port };
}

/** The problem with a pattern, or undefined when it parses. */
export function hostPatternProblem(raw: string, use: HostPatternUse): string | undefined {
  try {
    parseHostPattern(raw, use);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** An address parsed, an IPv4-mapped IPv6 address as the IPv4 it carries; undefined if none. */
export function parseAddress(value: string): IpAddress | undefined {
  const bare = value.replace(/^\[|\]$/g, '');
  if (!ipaddr.IPv4.isValidFourPartDecimal(bare) && !ipaddr.IPv6.isValid(bare)) return undefined;
  const ip = ipaddr.parse(bare);
  return ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()
    ? (ip as ipaddr.IPv6).toIPv4Address()
    : ip;
}

const sameIp = (a: IpAddress, b: IpAddress) =>
  a.kind() === b.kind() && a.toNormalizedString() === b.toNormalizedString();

/**
 * True when `pattern` covers a call to `host` on `port`. `host` is the name (or address) the
 * URL names; `ip`, when known, the address it resolved to (CIDR blocks match that).
 */
export function matchesHostPattern(
  pattern: HostPattern,
  host: string,
  port: number,
  ip?: string,
): boolean {
  if (pattern.port !== '*' && pattern.port !== port) return false;
  const name = host
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  const hostIp = parseAddress(name);
  const resolved = ip === undefined ? hostIp : parseAddress(ip);
  const target = pattern.host;
  switch (target.kind) {
    case 'any':
      return true;
    case 'name':
      return hostIp === undefined && name === target.name;
    case 'suffix':
      return hostIp === undefined && name.endsWith(`.${target.suffix}`);
    case 'ip':
      return (
        (hostIp !== undefined && sameIp(hostIp, target.ip)) ||
        (resolved !== undefined && sameIp(resolved, target.ip))
      );
    case 'cidr':
      return (
        resolved !== undefined &&
        resolved.kind() === target.range[0].kind() &&
        resolved.match(target.range as never)
      );
  }
}

/** The host and port a URL calls (the scheme's default port when it names none). */
export function endpointOf(url: string | URL): { host: string; port: number } {
  const parsed = typeof url === 'string' ? new URL(url) : url;
  const port = parsed.port ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80;
  return { host: parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase(), port };
}

/** `host:port` as a pattern would name it (`[::1]:8080` for IPv6). */
export function formatEndpoint(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * Where a credential may be sent: its host:port patterns, checked before any byte of a request
 * carrying it goes out. `[]` sends it nowhere (a secret only Ordo reads, such as the one that
 * checks inbound webhook signatures).
 */
export class CredentialHosts {
  readonly patterns: readonly HostPattern[];

  /** Throws HostPatternError on the first malformed pattern. */
  constructor(readonly hosts: readonly string[]) {
    this.patterns = hosts.map((h) => parseHostPattern(h, 'credential'));
  }

  allows(host: string, port: number): boolean {
    return this.patterns.some((p) => matchesHostPattern(p, host, port));
  }
}
