import { Type } from '@sinclair/typebox';

export const CredentialName = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$' });

/** A credential to store: its name and its secret fields (API key, token, user, password…). */
export const SaveCredentialBody = Type.Object(
  {
    name: CredentialName,
    secret: Type.Record(
      Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,63}$' }),
      Type.String({ maxLength: 8192 }),
      { minProperties: 1 },
    ),
  },
  { additionalProperties: false },
);
