import { Type, type Static } from '@sinclair/typebox';
import { Duration } from './common.schema';

/** How often and how patiently the runtime tries a call (exponential back-off, full jitter). */
export const RetrySettings = Type.Object(
  {
    /** Attempts in all, the first included. */
    attempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
    /** Back-off after the first failure; doubled each attempt. */
    backoff: Type.Optional(Duration),
    /** Longest back-off. */
    maxBackoff: Type.Optional(Duration),
  },
  { additionalProperties: false },
);
export type RetrySettings = Static<typeof RetrySettings>;

/**
 * A named connector instance that `call` actions use: which connector (`http`, `webhook` or an
 * installed one), its settings, the stored credential it signs in with, and its policies.
 */
export const ConnectorInstance = Type.Object(
  {
    type: Type.String({ pattern: '^[a-z][a-z0-9-]{0,63}$' }),
    settings: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    /** Name of a credential stored with `POST /api/credentials`; never the secret itself. */
    credential: Type.Optional(Type.String({ minLength: 1 })),
    retry: Type.Optional(RetrySettings),
    /** Longest one attempt may take. */
    timeout: Type.Optional(Duration),
  },
  { additionalProperties: false },
);
export type ConnectorInstance = Static<typeof ConnectorInstance>;

/** Connector instances by name (the `connector` of a `call`). */
export const Connectors = Type.Record(
  Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_-]{0,63}$' }),
  ConnectorInstance,
);
export type Connectors = Static<typeof Connectors>;
