import type { SystemName } from '@ordo/fake-systems';
import type { Scenario } from './scenario.schema';
import type { ScenarioProblem } from './scenario-file';

/** The fake systems' fixed ports when started with port base 4101 (the templates' defaults). */
export const FAKE_ORDER: SystemName[] = [
  'crm',
  'wms',
  'production',
  'carrier',
  'bank',
  'erp',
  'crm-status',
  'erp-status',
  'wms-status',
  'tms-status',
  'wecom',
  'dingtalk',
  'bin-master',
  'wecom-app',
  'dingtalk-session',
];

/**
 * The fake systems that answer Ordo's events later, on the simulated clock: a subscription
 * delivers to their `/events`, and `/_test/tick` makes them report what is due.
 */
export const CALLS_BACK: SystemName[] = ['erp'];

/** What the simulator reads of the flow document. */
export interface FlowDoc {
  key: string;
  states: (string | { id: string })[];
  transitions: { id: string; event?: string }[];
  queues?: Record<string, unknown>;
  triggers?: { id: string; webhook?: { secret?: string } }[];
  systems?: Record<string, unknown>;
  calendar?: string;
  connectors?: Record<
    string,
    { type: string; settings?: Record<string, unknown>; credential?: string }
  >;
}

/** What the scenario names that the flow lacks (states, events, queues, fake systems). */
export function flowProblems(scenario: Scenario, flow: FlowDoc): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  const states = new Set(flow.states.map((st) => (typeof st === 'string' ? st : st.id)));
  const events = new Set(flow.transitions.map((t) => t.event).filter(Boolean));
  const queues = new Set(Object.keys(flow.queues ?? {}));
  if (scenario.flow !== flow.key)
    problems.push({ path: '/flow', message: `the flow simulated is "${flow.key}"` });
  for (const [role, people] of Object.entries(scenario.people)) {
    const shared = new Map<string, number>();
    people.handles.forEach((h, i) => {
      const at = `/people/${role}/handles/${i}`;
      if ('state' in h && h.share !== undefined) {
        const sum = (shared.get(h.state) ?? 0) + h.share;
        shared.set(h.state, sum);
        if (sum > 1 + 1e-9)
          problems.push({
            path: `${at}/share`,
            message: `the role's shares of "${h.state}" add up to ${sum}, more than 1`,
          });
      }
      if ('state' in h && !states.has(h.state))
        problems.push({ path: `${at}/state`, message: `the flow has no state "${h.state}"` });
      if ('system' in h && !FAKE_ORDER.includes(h.system.name as SystemName))
        problems.push({
          path: `${at}/system/name`,
          message: `no fake system "${h.system.name}" (${FAKE_ORDER.join(', ')})`,
        });
      if ('event' in h && h.event && !events.has(h.event))
        problems.push({
          path: `${at}/event`,
          message: `no transition of the flow has the event "${h.event}"`,
        });
      if ('task' in h && !queues.has(h.task.queue))
        problems.push({
          path: `${at}/task/queue`,
          message: `the flow has no queue "${h.task.queue}"`,
        });
    });
  }
  if (scenario.calendar) {
    if (!scenario.calendar.dataset && !flow.calendar)
      problems.push({
        path: '/calendar/dataset',
        message: 'the flow has no calendar: name the calendar data set here',
      });
    for (const role of Object.keys(scenario.calendar.onDuty ?? {}))
      if (!scenario.people[role])
        problems.push({
          path: `/calendar/onDuty/${role}`,
          message: `the scenario has no people of the role "${role}"`,
        });
  }
  scenario.hooks?.forEach((hook, i) => {
    if (!FAKE_ORDER.includes(hook.system as SystemName))
      problems.push({ path: `/hooks/${i}/system`, message: `no fake system "${hook.system}"` });
    const trigger = flow.triggers?.find((t) => t.id === hook.trigger);
    if (!trigger?.webhook?.secret)
      problems.push({
        path: `/hooks/${i}/trigger`,
        message: `the flow has no signed webhook trigger "${hook.trigger}"`,
      });
  });
  scenario.subscriptions?.forEach((sub, i) => {
    if (!CALLS_BACK.includes(sub.system as SystemName))
      problems.push({
        path: `/subscriptions/${i}/system`,
        message: `no fake system "${sub.system}" answers events (${CALLS_BACK.join(', ')})`,
      });
    else if (!scenario.hooks?.some((h) => h.system === sub.system))
      problems.push({
        path: `/subscriptions/${i}/system`,
        message: `"${sub.system}" answers through a trigger: add it to hooks`,
      });
  });
  for (const name of Object.keys(scenario.systems ?? {}))
    if (!FAKE_ORDER.includes(name as SystemName))
      problems.push({
        path: `/systems/${name}`,
        message: `no fake system "${name}" (${FAKE_ORDER.join(', ')})`,
      });
  return problems;
}
