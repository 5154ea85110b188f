import { CredentialHosts, hostPatternProblem, matchesHostPattern, parseHostPattern } from '../src';

describe('host:port patterns', () => {
  const matches = (pattern: string, host: string, port: number, ip?: string) =>
    matchesHostPattern(parseHostPattern(pattern, 'allow'), host, port, ip);

  it('matches names, wildcards, addresses and ports exactly', () => {
    expect(matches('api.bank.example:443', 'api.bank.example', 443)).toBe(true);
    expect(matches('api.bank.example:443', 'API.Bank.Example.', 443)).toBe(true);
    expect(matches('api.bank.example:443', 'api.bank.example', 8443)).toBe(false);
    expect(matches('api.bank.example:443', 'evil.example', 443)).toBe(false);
    expect(matches('api.bank.example:443', 'api.bank.example.evil.example', 443)).toBe(false);
    expect(matches('*.crm.example:443', 'eu.crm.example', 443)).toBe(true);
    expect(matches('*.crm.example:443', 'a.b.crm.example', 443)).toBe(true);
    expect(matches('*.crm.example:443', 'crm.example', 443)).toBe(false);
    expect(matches('*.crm.example:443', 'evilcrm.example', 443)).toBe(false);
    expect(matches('127.0.0.1:*', '127.0.0.1', 1)).toBe(true);
    expect(matches('127.0.0.1:*', 'localhost', 80)).toBe(false);
    expect(matches('[::1]:8080', '::1', 8080)).toBe(true);
    expect(matches('[::1]:8080', '[0:0::1]', 8080)).toBe(true);
    expect(matches('10.0.0.0/8:443', 'wms.internal', 443, '10.2.3.4')).toBe(true);
    expect(matches('10.0.0.0/8:443', 'wms.internal', 443, '11.2.3.4')).toBe(false);
    expect(matches('*:*', 'anything', 1)).toBe(true);
  });

  it.each([
    ['api.bank.example', /names no port/],
    ['api.bank.example:', /is not a port/],
    ['api.bank.example:0', /is not a port/],
    ['api.bank.example:65536', /is not a port/],
    ['api.bank.example:44a', /is not a port/],
    [':443', /names no host/],
    ['::1:443', /in brackets/],
    ['[::1]', /needs its port/],
    ['[::g]:1', /not an IPv6 address/],
    ['999.1.1.1:80', /not an IPv4 address/],
    ['127.1:80', /not an IPv4 address/],
    ['bad_host!:80', /not a host name/],
    ['-x.example:80', /not a host name/],
    ['*.:80', /not a host name/],
    ['http://x.example:80', /not a URL/],
  ])('refuses %s', (pattern, reason) =>
    expect(hostPatternProblem(pattern, 'allow')).toMatch(reason),
  );

  it('keeps every host (*) and CIDR blocks to the allow-list, not a credential', () => {
    expect(hostPatternProblem('*:443', 'credential')).toMatch(/ORDO_OUTBOUND_ALLOW only/);
    expect(hostPatternProblem('10.0.0.0/8:443', 'credential')).toMatch(/ORDO_OUTBOUND_ALLOW only/);
    expect(hostPatternProblem('*:443', 'allow')).toBeUndefined();
    const hosts = new CredentialHosts(['api.bank.example:443', '*.crm.example:443']);
    expect(hosts.allows('api.bank.example', 443)).toBe(true);
    expect(hosts.allows('x.crm.example', 443)).toBe(true);
    expect(hosts.allows('attacker.example', 443)).toBe(false);
    expect(new CredentialHosts([]).allows('api.bank.example', 443)).toBe(false);
  });
});
