import { checkAddress, isBlockedAddress } from '../src';

describe('isBlockedAddress', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:a9fe:a9fe',
    'not-an-ip',
  ])('refuses %s', (ip) => expect(isBlockedAddress(ip)).toBe(true));

  it.each(['8.8.8.8', '172.32.0.1', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    'lets %s through',
    (ip) => expect(isBlockedAddress(ip)).toBe(false),
  );
});

describe('checkAddress with an allow-list', () => {
  it('lets listed hosts, addresses and CIDR blocks through, nothing else', () => {
    const policy = { allow: ['wms.internal', '10.0.0.7', '192.168.10.0/24'] };
    expect(() => checkAddress(policy, 'wms.internal', '10.9.9.9')).not.toThrow();
    expect(() => checkAddress(policy, 'x', '10.0.0.7')).not.toThrow();
    expect(() => checkAddress(policy, 'x', '192.168.10.44')).not.toThrow();
    expect(() => checkAddress(policy, 'x', '192.168.11.1')).toThrow(/Refused to call x/);
    expect(() => checkAddress(policy, 'metadata', '169.254.169.254')).toThrow(/blocked/);
  });
});
