import { CredentialHosts } from '@ordo/connectors';
import type { Flow, Problem } from '@ordo/engine';
import { credentialHosts } from '../credentials/credential-hosts';
import type { SqlExecutor } from '../database/db';
import { mailboxPort } from './mailbox-status';

/**
 * What only the server can check of a flow's polled mailbox (`intake.email.imap`): that its
 * credential is stored (a warning: the first poll would fail) and may be sent to the mailbox's
 * host and port (an error at `/intake/email/imap/host`, as for a connector).
 */
export async function mailboxProblems(doc: unknown, db: SqlExecutor): Promise<Problem[]> {
  const imap = (doc as Partial<Flow> | null)?.intake?.email?.imap;
  if (!imap || typeof imap !== 'object' || typeof imap.credential !== 'string') return [];
  if (typeof imap.host !== 'string') return [];
  const hosts = (await credentialHosts(db, [imap.credential])).get(imap.credential);
  if (!hosts)
    return [
      {
        path: '/intake/email/imap/credential',
        code: 'unknown_credential',
        message: `No credential "${imap.credential}" is stored: store it with POST /api/credentials { name, secret: { password }, hosts } before the first poll`,
        severity: 'warning',
      },
    ];
  const port = mailboxPort({
    ...imap,
    port: typeof imap.port === 'number' ? imap.port : undefined,
  });
  const host = imap.host.toLowerCase();
  let allowed: CredentialHosts;
  try {
    allowed = new CredentialHosts(hosts);
  } catch {
    allowed = new CredentialHosts([]);
  }
  if (allowed.allows(host, port)) return [];
  return [
    {
      path: '/intake/email/imap/host',
      code: 'credential_host',
      message: `The mailbox would send the credential "${imap.credential}" to ${host}:${port}, which is not one of its hosts (${hosts.join(', ') || 'none'}): add ${host}:${port} to them (PATCH /api/credentials/${imap.credential})`,
      severity: 'error',
    },
  ];
}
