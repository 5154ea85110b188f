import { Type } from '@sinclair/typebox';
import { component } from '../components';
import { FlowDocument } from '../flow-document.schema';
import { AnyObject, ListOf, Nullable, Time } from './shared';

const Counts = {
  id: Type.Integer(),
  system: Type.String(),
  checked: Type.Integer(),
  drifted: Type.Integer(),
  failed: Type.Integer(),
  repaired: Type.Integer(),
  refused: Type.Integer(),
  disagreementRate: Type.Number({ description: 'drifted / checked' }),
  unrepairedRate: Type.Number({ description: '(drifted − repaired) / checked' }),
  finishedAt: Time,
};

/** An order whose state a system sees otherwise. */
export const Drift = component(
  'Drift',
  Type.Object({
    orderId: Type.String(),
    externalRef: Nullable(Type.String()),
    state: Type.String(),
    code: Nullable(Type.String({ description: "the system's code" })),
    theirState: Nullable(Type.String({ description: 'the state it maps to' })),
    repair: Type.Optional(Type.Unknown()),
    repairError: Type.Optional(Type.String()),
    exceptionId: Type.Optional(Type.Integer()),
  }),
);

/** One system's reconciliation: what it was asked, what drifted, what was repaired. */
export const ReconciliationReport = component(
  'ReconciliationReport',
  Type.Object({ ...Counts, flow: Type.String(), drift: Type.Array(Drift), startedAt: Time }),
);

export const ReconciliationReportList = component(
  'ReconciliationReportList',
  ListOf(ReconciliationReport),
);

/** Each report's counts and rates, oldest first. */
export const ReconciliationRates = component('ReconciliationRates', ListOf(Type.Object(Counts)));

const Label = Type.Unknown({ description: 'a string or { language: text }' });

/** A template of the gallery. */
export const TemplateSummary = component(
  'TemplateSummary',
  Type.Object({
    id: Type.String(),
    name: Label,
    summary: Label,
    industry: Type.Optional(Label),
    credentials: Type.Array(
      Type.Object({ name: Type.String(), fields: Type.Array(Type.String()), purpose: Label }),
    ),
    checklist: Type.Array(Label),
    datasets: Type.Optional(Type.Array(AnyObject)),
    flow: FlowDocument,
    samples: Type.Integer({ description: 'how many sample orders it has' }),
  }),
);

export const TemplateList = component('TemplateList', ListOf(TemplateSummary));

/** A template with its sample orders and its README. */
export const Template = component(
  'Template',
  Type.Composite([
    Type.Omit(TemplateSummary, ['samples']),
    Type.Object({
      samples: Type.Array(
        Type.Object({
          externalRef: Type.String(),
          data: AnyObject,
          channel: Type.Optional(Type.String()),
        }),
      ),
      readme: Type.String(),
    }),
  ]),
);

/** What a deploy did, and the checklist for production. */
export const TemplateDeployed = component(
  'TemplateDeployed',
  Type.Object({
    template: Type.String(),
    flow: Type.String(),
    version: Type.Integer(),
    published: Type.Boolean(),
    credentials: Type.Object({
      placeholders: Type.Array(Type.String()),
      demo: Type.Array(Type.String()),
      given: Type.Array(Type.String()),
      existing: Type.Array(Type.String()),
    }),
    datasets: Type.Unknown(),
    samples: Type.Unknown(),
    checklist: Type.Array(Label),
  }),
);
