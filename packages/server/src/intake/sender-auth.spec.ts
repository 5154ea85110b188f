import { generateKeyPairSync } from 'node:crypto';
import { dkimSign } from 'mailauth';
import { type DnsLookup, verifySender } from './sender-auth';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const dns: Record<string, string[][]> = {
  'stores.example': [['v=spf1 ip4:192.0.2.10 -all']],
  's1._domainkey.stores.example': [
    [`v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`],
  ],
  '_dmarc.stores.example': [['v=DMARC1; p=reject']],
};
/** The sender's DNS: its SPF policy, DKIM key and DMARC record; nothing else exists. */
const lookup: DnsLookup = async (name, type) => {
  const found = type === 'TXT' ? dns[name.toLowerCase()] : undefined;
  if (found) return found;
  throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
};

const message = [
  'From: buyer@stores.example',
  'To: orders@ordo.example',
  'Subject: Orders',
  'Message-ID: <auth-1@stores.example>',
  'Date: Sun, 06 Dec 2026 10:00:00 +0000',
  '',
  'Store: S-1',
  'SKU-1 x 2',
  '',
].join('\r\n');

async function signed(text: string) {
  // The library signs by `signatureData` (its typings still describe the older flat form).
  const { signatures } = await dkimSign(text, {
    signatureData: [
      {
        signingDomain: 'stores.example',
        selector: 's1',
        privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
      },
    ],
  } as unknown as Parameters<typeof dkimSign>[1]);
  return Buffer.from(signatures + text);
}

describe('verifySender (SPF, DKIM, DMARC by DNS)', () => {
  const envelope = {
    client: '192.0.2.10',
    helo: 'mx.stores.example',
    from: 'buyer@stores.example',
  };

  it('passes a signed message from an address the sender’s SPF names', async () => {
    expect(await verifySender(await signed(message), envelope, lookup)).toEqual({
      spf: expect.objectContaining({
        result: 'pass',
        domain: 'stores.example',
        client: '192.0.2.10',
      }),
      dkim: [expect.objectContaining({ domain: 'stores.example', selector: 's1', result: 'pass' })],
      dmarc: { result: 'pass', domain: 'stores.example', policy: 'reject' },
    });
  });

  it('fails an altered body, a foreign address and so DMARC; a polled message gets no SPF', async () => {
    const altered = Buffer.from((await signed(message)).toString().replace('x 2', 'x 200'));
    const verified = await verifySender(altered, { ...envelope, client: '198.51.100.7' }, lookup);
    expect(verified.spf).toMatchObject({ result: 'fail', client: '198.51.100.7' });
    expect(verified.dkim).toEqual([
      expect.objectContaining({ domain: 'stores.example', result: 'neutral' }),
    ]);
    expect(verified.dmarc).toMatchObject({ result: 'fail' });
    const polled = await verifySender(
      await signed(message),
      { client: 'orders@imap', helo: '', from: null },
      lookup,
    );
    expect(polled.spf).toBeUndefined();
    expect(polled.dkim[0].result).toBe('pass');
  });

  it('an unsigned message from a domain without records: none, and a dead resolver is temperror', async () => {
    const unsigned = Buffer.from(message.replace(/stores\.example/g, 'other.example'));
    const none = await verifySender(unsigned, { ...envelope, from: 'buyer@other.example' }, lookup);
    expect(none).toMatchObject({ spf: { result: 'none' }, dkim: [], dmarc: { result: 'none' } });
    const dead: DnsLookup = async () => {
      throw Object.assign(new Error('queryTxt ETIMEOUT stores.example'), { code: 'ETIMEOUT' });
    };
    const down = await verifySender(await signed(message), envelope, dead);
    expect(down.spf?.result).toBe('temperror');
    expect(down.dkim[0].result).toMatch(/temperror|neutral/);
  });
});
