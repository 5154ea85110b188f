import { hostPatternProblem } from '@ordo/connectors';
import { Type } from '@sinclair/typebox';
import { problems } from '../problems/api-problem';

export const CredentialName = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$' });

/**
 * Where a credential may be sent: host:port patterns (`api.bank.example:443`,
 * `*.crm.example:443`, `127.0.0.1:*`). `[]` sends it nowhere: a secret only Ordo reads (the one
 * that checks inbound webhook signatures).
 */
export const CredentialHostList = Type.Array(Type.String({ minLength: 1, maxLength: 300 }), {
  maxItems: 100,
  uniqueItems: true,
});

/** A credential to store: its name, its secret fields (API key, token, user, password…) and hosts. */
export const SaveCredentialBody = Type.Object(
  {
    name: CredentialName,
    secret: Type.Record(
      Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,63}$' }),
      Type.String({ maxLength: 8192 }),
      { minProperties: 1 },
    ),
    hosts: CredentialHostList,
  },
  { additionalProperties: false },
);

/** A change of a stored credential: its hosts (the secret is replaced with POST). */
export const UpdateCredentialBody = Type.Object(
  { hosts: CredentialHostList },
  { additionalProperties: false },
);

/** Refuses a malformed host pattern at its path (`/hosts/1`), saying how to write it. */
export function checkHostPatterns(hosts: readonly string[]): string[] {
  const errors = hosts.flatMap((host, i) => {
    const problem = hostPatternProblem(host, 'credential');
    return problem ? [{ path: `/hosts/${i}`, code: 'invalid_host_pattern', message: problem }] : [];
  });
  if (errors.length) throw problems.invalidBody(errors);
  return hosts.map((h) => h.trim().toLowerCase());
}
