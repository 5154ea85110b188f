import { Type, type Static } from '@sinclair/typebox';
import { DataPath, Label } from './common.schema';
import { Connectors } from './connector.schema';
import { ExceptionRule, Queue } from './exception.schema';
import { Field } from './field.schema';
import { Intake } from './message-format.schema';
import { RoleList } from './ownership.schema';
import { Counter, Measure, ScheduledReport } from './measure.schema';
import { Rule } from './rule.schema';
import { State } from './state.schema';
import { ExternalSystems } from './system.schema';
import { Transition } from './transition.schema';
import { Trigger } from './trigger.schema';

const Point = Type.Object({ x: Type.Number(), y: Type.Number() });

/** Canvas positions the designer saves with the flow; the engine ignores them. */
export const Layout = Type.Object(
  {
    states: Type.Optional(Type.Record(Type.String(), Point)),
    /**
     * Edge routes from the auto-layout, by canvas edge id (`<transition>:<from state>`): the
     * bend points from source to target and the centre of the label.
     */
    edges: Type.Optional(
      Type.Record(
        Type.String(),
        Type.Object({ points: Type.Array(Point), label: Type.Optional(Point) }),
      ),
    ),
  },
  { additionalProperties: true },
);
export type Layout = Static<typeof Layout>;

/** The version of the flow document format this engine reads. */
export const FLOW_SCHEMA_VERSION = 1;

/**
 * The flow document, version 1: the fields of an order, its states, the transitions between
 * them and the rules it must obey. The single source of the JSON Schema (`flowSchema`) and of
 * the `Flow` type. Reference: docs/flow-document.md.
 */
export const Flow = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    schemaVersion: Type.Literal(FLOW_SCHEMA_VERSION),
    key: Type.String({ pattern: '^[a-z0-9][a-z0-9_-]*$', maxLength: 64 }),
    name: Label,
    description: Type.Optional(Label),
    /** Set by the server on publish; ignored when a document is saved as a draft. */
    version: Type.Optional(Type.Integer({ minimum: 1 })),
    fields: Type.Array(Field),
    states: Type.Array(State, { minItems: 1 }),
    transitions: Type.Array(Transition),
    rules: Type.Optional(Type.Array(Rule)),
    /** Connector instances the flow's `call` actions use, by name. */
    connectors: Type.Optional(Connectors),
    /** Inbound webhooks and schedules that move orders. */
    triggers: Type.Optional(Type.Array(Trigger)),
    /** Orders by message: the text format of a body or chat message, the e-mail addresses. */
    intake: Type.Optional(Intake),
    /** External systems whose status codes map to our states (the status translator). */
    systems: Type.Optional(ExternalSystems),
    /** How exceptions are settled: automatically, or as a task for a person. */
    exceptions: Type.Optional(Type.Array(ExceptionRule)),
    /** Task queues and the roles that work them (a queue is also worked by the role of its name). */
    queues: Type.Optional(Type.Record(Type.String(), Queue)),
    /**
     * The business roles the flow names (`finance`, `warehouse`): when given, the lint warns of
     * any other role in `writableBy`, transition `roles` and queue `roles`.
     */
    roles: Type.Optional(RoleList),
    /**
     * The data set holding the flow's business calendar (working hours, holidays, time zone):
     * what durations marked `in: "business"` are counted in (docs/datasets.md#business-calendars).
     */
    calendar: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$' })),
    /** The dot path of the order's customer (`store.code`, `clinic.id`): lists, analytics, reports. */
    customer: Type.Optional(DataPath),
    /** Journey timings between milestones, with targets (docs/analytics.md). */
    measures: Type.Optional(Type.Array(Measure)),
    /** Counts of orders that took a transition or matched a condition at some point. */
    counters: Type.Optional(Type.Array(Counter)),
    /** Reports sent on the first day of each month to e-mail or chat robot channels. */
    reports: Type.Optional(Type.Array(ScheduledReport, { maxItems: 20 })),
    layout: Type.Optional(Layout),
  },
  {
    additionalProperties: false,
    $id: 'https://ordo.dev/schema/flow.schema.json',
    title: 'Ordo flow document',
  },
);
export type Flow = Static<typeof Flow>;

/** The JSON Schema of a flow document, for ajv, Monaco and editors. */
export const flowSchema = Flow;
