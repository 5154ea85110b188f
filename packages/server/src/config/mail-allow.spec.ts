import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from './ordo-config';

const dir = mkdtempSync(path.join(tmpdir(), 'ordo-config-'));
const load = (env: Record<string, string>) =>
  loadConfig({ ORDO_ADMIN_KEY: 'k'.repeat(32), ...env }, dir);

describe('the sender allow-list (ORDO_SMTP_ALLOW)', () => {
  it('is read without the SMTP receiver, for polled IMAP mailboxes', () => {
    const config = load({ ORDO_SMTP_ALLOW: 'Stores.example,*.acme.example' });
    expect(config.mail).toEqual({ allow: ['stores.example', '*.acme.example'] });
  });

  it('is the receiver’s list too', () => {
    const config = load({ ORDO_SMTP_PORT: '2525', ORDO_SMTP_ALLOW: 'stores.example' });
    expect(config.mail?.allow).toEqual(['stores.example']);
    expect(config.mail?.smtp?.allow).toEqual(['stores.example']);
  });

  it('refuses an entry that is not a domain, receiver on or not', () => {
    expect(() => load({ ORDO_SMTP_ALLOW: '*' })).toThrow(/ORDO_SMTP_ALLOW: "\*" is not a domain/);
  });
});
