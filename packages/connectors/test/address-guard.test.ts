import {
  addressRange,
  checkAddress,
  HostPatternError,
  isBlockedAddress,
  SafeHttpClient,
} from '../src';

describe('isBlockedAddress (ipaddr.js ranges: only unicast goes out)', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['198.18.0.1', 'reserved'],
    ['192.0.0.8', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'uniqueLocal'],
    ['fd12:3456::1', 'uniqueLocal'],
    ['fe80::1', 'linkLocal'],
    ['ff02::1', 'multicast'],
    // What the hand-written guard let through:
    ['::7f00:1', 'ipv4Compatible'], // ::127.0.0.1, IPv4-compatible
    ['::a9fe:a9fe', 'ipv4Compatible'],
    ['64:ff9b::a00:1', 'rfc6052 → private'], // NAT64 of 10.0.0.1
    ['64:ff9b::7f00:1', 'rfc6052 → loopback'],
    ['64:ff9b::a9fe:a9fe', 'rfc6052 → linkLocal'],
    ['64:ff9b:1::a00:1', 'rfc6052'], // local-use NAT64: refused whatever it carries
    ['2002:7f00:1::', '6to4 → loopback'], // 6to4 of 127.0.0.1
    ['2002:a9fe:a9fe::1', '6to4 → linkLocal'],
    ['2002:c0a8:101::', '6to4 → private'],
    ['fec0::1', 'deprecatedSiteLocal'],
    ['100::1', 'discard'],
    ['2001::1', 'teredo'],
    ['2001:db8::1', 'reserved'],
    ['::ffff:127.0.0.1', 'ipv4Mapped → loopback'],
    ['::ffff:a9fe:a9fe', 'ipv4Mapped → linkLocal'],
    ['::ffff:0:a00:1', 'rfc6145 → private'],
    ['1::', 'reserved'],
    ['not-an-ip', 'invalid'],
    ['127.1', 'invalid'],
  ])('refuses %s (%s)', (ip, range) => {
    expect(addressRange(ip)).toBe(range);
    expect(isBlockedAddress(ip)).toBe(true);
  });

  it.each([
    '8.8.8.8',
    '172.32.0.1',
    '1.1.1.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808', // NAT64 of 8.8.8.8
    '2002:808:808::1', // 6to4 of 8.8.8.8
  ])('lets %s through', (ip) => expect(isBlockedAddress(ip)).toBe(false));
});

describe('checkAddress with an allow-list of host:port patterns', () => {
  it('lets listed hosts, addresses and CIDR blocks through on their port only', () => {
    const policy = {
      allow: ['wms.internal:443', '10.0.0.7:8080', '192.168.10.0/24:*', '[fd00::/8]:9000'],
    };
    expect(() => checkAddress(policy, 'wms.internal', '10.9.9.9', 443)).not.toThrow();
    expect(() => checkAddress(policy, 'wms.internal', '10.9.9.9', 22)).toThrow(
      /Refused to call wms\.internal:22 \(10\.9\.9\.9, private\)/,
    );
    expect(() => checkAddress(policy, 'x', '10.0.0.7', 8080)).not.toThrow();
    expect(() => checkAddress(policy, 'x', '10.0.0.7', 6379)).toThrow(/blocked/);
    expect(() => checkAddress(policy, 'x', '::ffff:10.0.0.7', 8080)).not.toThrow();
    expect(() => checkAddress(policy, 'x', '192.168.10.44', 5432)).not.toThrow();
    expect(() => checkAddress(policy, 'x', '192.168.11.1', 80)).toThrow(/Refused to call x:80/);
    expect(() => checkAddress(policy, 'x', 'fd12::1', 9000)).not.toThrow();
    expect(() => checkAddress(policy, 'x', 'fd12::1', 9001)).toThrow(/blocked/);
    expect(() => checkAddress(policy, 'metadata', '169.254.169.254', 80)).toThrow(/blocked/);
    // A public address needs no entry.
    expect(() => checkAddress({}, 'example.com', '93.184.216.34', 443)).not.toThrow();
  });

  it('refuses an entry without a port: it would open every port of the host', () => {
    for (const entry of ['127.0.0.1', 'wms.internal', '*', '::1', '10.0.0.0/8', 'x:0', 'x:70000'])
      expect(() => new SafeHttpClient({ allow: [entry] })).toThrow(HostPatternError);
    expect(() => checkAddress({ allow: ['127.0.0.1'] }, 'x', '127.0.0.1', 80)).toThrow(
      /is not a host:port pattern: it names no port/,
    );
  });
});
