import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';

/** A DNS lookup as mailauth asks it (TXT answers are arrays of strings). */
export type DnsLookup = (name: string, type: string) => Promise<string[][] | string[]>;

/**
 * SPF, DKIM and DMARC as Ordo itself checked them (mailauth, over DNS) when it worked the
 * message. Recorded for the operator beside the relay's claims; like them, they decide nothing
 * (the allow-list does).
 */
export interface VerifiedSender {
  /** SPF of the client's address for the MAIL FROM domain (the HELO name without one). */
  spf?: { result: string; domain: string; client: string; comment?: string };
  /** Each DKIM-Signature, verified against the signer's key in DNS (none: unsigned). */
  dkim: { domain: string; selector?: string; result: string; comment?: string }[];
  /** The From domain's DMARC policy applied to the two (absent without a From domain). */
  dmarc?: { result: string; domain: string; policy?: string };
  /** Set when the check itself could not run (its reason); the results above are then empty. */
  error?: string;
}

// Loaded at the first check, not with the server's modules: it and its dependencies would add
// half a second to every CLI start.
const mailauth = () => import('mailauth');

// Short, so a dead resolver delays a message by seconds, not by the system's minute.
const resolver = new Resolver({ timeout: 2000, tries: 2 });
export const systemDns: DnsLookup = (name, type) =>
  resolver.resolve(name, type) as Promise<string[][] | string[]>;

const comment = (c: unknown) => (typeof c === 'string' && c ? { comment: c.slice(0, 200) } : {});

/**
 * Checks a message's sender as an MX would: SPF when it came from a client address (the SMTP
 * receiver; a polled mailbox has none — its own server took the message in), every DKIM
 * signature, then DMARC for the From domain. Behind a relay the SPF result is about the relay's
 * address, so it fails or is neutral there; DKIM survives the relay.
 */
export async function verifySender(
  raw: Buffer,
  envelope: { client: string; helo: string; from: string | null },
  lookup: DnsLookup = systemDns,
): Promise<VerifiedSender> {
  try {
    const { dkimVerify, dmarc, spf } = await mailauth();
    const signed = await dkimVerify(raw, { resolver: lookup, sender: envelope.from ?? undefined });
    // An unsigned message gets one result without a domain ("message not signed"): none here.
    const dkim = (signed.results ?? [])
      .filter((r) => r.signingDomain)
      .map((r) => ({
        domain: r.signingDomain,
        ...(r.selector && { selector: r.selector }),
        result: r.status.result,
        ...comment(r.status.comment),
      }));
    const ip = isIP(envelope.client) ? envelope.client : undefined;
    const checked = ip
      ? await spf({
          ip,
          helo: envelope.helo || `[${ip}]`,
          sender: envelope.from ?? undefined,
          resolver: lookup,
        } as Parameters<typeof spf>[0])
      : undefined;
    const headerFrom = (signed as { headerFrom?: string | string[] }).headerFrom;
    const policy = headerFrom
      ? await dmarc({
          headerFrom,
          spfDomains: checked?.status.result === 'pass' ? [checked.domain] : [],
          dkimDomains: (signed.results ?? [])
            .filter((r) => r.status.result === 'pass')
            .map((r) => ({ domain: r.signingDomain, aligned: r.status.aligned })),
          resolver: lookup,
        } as Parameters<typeof dmarc>[0])
      : false;
    return {
      ...(checked && {
        spf: {
          result: checked.status.result,
          domain: checked.domain,
          client: ip!,
          ...comment(checked.status.comment),
        },
      }),
      dkim,
      ...(policy && {
        dmarc: {
          result: policy.status.result,
          domain: policy.domain,
          ...(policy.p && { policy: policy.p }),
        },
      }),
    };
  } catch (error) {
    return { dkim: [], error: (error as Error).message.slice(0, 200) };
  }
}
