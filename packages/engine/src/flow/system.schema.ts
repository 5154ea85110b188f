import { Type, type Static } from '@sinclair/typebox';
import { CallAction } from './action.schema';
import { Duration } from './common.schema';

/** One status code of an external system, and what it means here. */
export const StatusMapping = Type.Object(
  {
    /** The system's own code. */
    code: Type.String({ minLength: 1 }),
    /** Our state that the code stands for: entering it sends the code to the system. */
    state: Type.String(),
    /** The event the code fires here when the system reports it. */
    event: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type StatusMapping = Static<typeof StatusMapping>;

/**
 * An external system that keeps its own status of our orders (CRM, ERP, WMS, TMS): the status
 * translator. Its codes map to our states both ways; our state changes are pushed to it in its
 * own codes (never echoed back to the system they came from), and `read` lets a reconciliation
 * ask it for its view and report drift.
 */
export const ExternalSystem = Type.Object(
  {
    statuses: Type.Array(StatusMapping, { minItems: 1 }),
    /** How a new status is sent: a call whose input also sees `$status` (the code). */
    push: Type.Optional(CallAction),
    /** How the system's view is read: a call, and where the code is in its answer. */
    read: Type.Optional(
      Type.Object(
        {
          call: CallAction.properties.call,
          /** JSON pointer to the status code in the answer, e.g. `/status`. */
          status: Type.String(),
          /** How often the reconciliation runs on its own. */
          every: Type.Optional(Duration),
          /**
           * Repair drift: push our status to each order the system disagrees on (through
           * `push`); a push the system refuses is a `drift_refused` exception.
           */
          repair: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type ExternalSystem = Static<typeof ExternalSystem>;

/** External systems by name (`crm`, `erp`, …). */
export const ExternalSystems = Type.Record(
  Type.String({ pattern: '^[a-z][a-z0-9_-]{0,63}$' }),
  ExternalSystem,
);
export type ExternalSystems = Static<typeof ExternalSystems>;
