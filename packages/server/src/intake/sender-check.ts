import type { ParsedMail } from 'mailparser';
import type { SenderCheck } from './message-records';

/** The domain of an address (`a@Acme.Example` → `acme.example`), or null. */
export function domainOf(address: string | null | undefined): string | null {
  const at = address?.lastIndexOf('@') ?? -1;
  if (!address || at < 1) return null;
  const domain = address
    .slice(at + 1)
    .trim()
    .toLowerCase()
    .replace(/\.$/, '');
  return /^[a-z0-9.-]+$/.test(domain) && domain.includes('.') ? domain : null;
}

/** Whether a domain is in the allow-list: exactly, or under a `*.` entry (not the bare parent). */
export function domainAllowed(domain: string | null, allow: readonly string[]): boolean {
  if (!domain) return false;
  return allow.some((entry) =>
    entry.startsWith('*.') ? domain.endsWith(entry.slice(1)) : domain === entry,
  );
}

const headerTexts = (mail: ParsedMail, name: string): string[] =>
  mail.headerLines
    .filter((h) => h.key === name)
    .map((h) =>
      h.line
        .slice(h.line.indexOf(':') + 1)
        .replace(/\s+/g, ' ')
        .trim(),
    );

/** `spf=pass` / `dkim=fail` in an Authentication-Results text. */
const verdict = (texts: string[], method: string) =>
  texts
    .map((t) => new RegExp(`\\b${method}=([a-z]+)`, 'i').exec(t)?.[1]?.toLowerCase())
    .find(Boolean);

/**
 * What can be told of a sender without the network: the envelope and From domains against
 * the allow-list, the DKIM signatures' domains (their signatures are not verified: that needs
 * the signer's DNS key), and a relay's Authentication-Results and Received-SPF as written —
 * recorded for the operator, never used to accept a message (any sender can write them).
 */
export function senderCheck(
  envelope: { from: string | null; client: string; helo: string },
  mail: ParsedMail | undefined,
  allow: readonly string[],
): SenderCheck {
  const envelopeDomain = domainOf(envelope.from);
  const fromDomain = mail ? domainOf(mail.from?.value[0]?.address) : null;
  const results = mail ? headerTexts(mail, 'authentication-results') : [];
  const dkimDomains = mail
    ? headerTexts(mail, 'dkim-signature').flatMap((t) => {
        const d = /(?:^|;)\s*d=([^;\s]+)/i.exec(t)?.[1];
        return d ? [d.toLowerCase()] : [];
      })
    : [];
  const spf = verdict(results, 'spf');
  const dkim = verdict(results, 'dkim');
  return {
    envelopeDomain,
    fromDomain,
    allowed: domainAllowed(envelopeDomain, allow) && (!mail || domainAllowed(fromDomain, allow)),
    client: envelope.client,
    helo: envelope.helo,
    dkimDomains,
    authenticationResults: results.slice(0, 5).map((t) => t.slice(0, 500)),
    receivedSpf: (mail ? headerTexts(mail, 'received-spf') : [])
      .slice(0, 5)
      .map((t) => t.slice(0, 500)),
    ...(spf && { spf }),
    ...(dkim && { dkim }),
  };
}
