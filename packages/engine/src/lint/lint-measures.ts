import type { Flow, Milestone } from '../flow';
import { at, type ProblemList } from './problem-list';

/**
 * Measures and counters: unique ids, and milestones, transitions and states that exist (an
 * event no transition handles never happens, so its measure would never end); scheduled reports
 * need the customer path and go to notification channels.
 */
export function lintMeasures(flow: Flow, out: ProblemList): void {
  const states = new Set(flow.states.map((s) => s.id));
  const transitions = new Set(flow.transitions.map((t) => t.id));
  const events = new Set(flow.transitions.map((t) => t.event).filter(Boolean));
  const state = (id: string, path: string) => {
    if (!states.has(id))
      out.error(path, 'unknown_state', `No state "${id}" — use one of: ${[...states].join(', ')}`);
  };
  const event = (name: string, path: string) => {
    if (!events.has(name))
      out.warning(
        path,
        'unhandled_event',
        `No transition handles the event "${name}" — it never happens, so nothing is counted`,
      );
  };
  const milestone = (m: Milestone, path: string) =>
    'state' in m ? state(m.state, `${path}/state`) : event(m.event, `${path}/event`);
  const unique = (list: readonly { id: string }[], key: string, noun: string) => {
    const seen = new Set<string>();
    list.forEach((item, i) => {
      if (seen.has(item.id))
        out.error(at(key, i, 'id'), 'duplicate_id', `Two ${noun} are called "${item.id}"`);
      seen.add(item.id);
    });
  };

  const measures = flow.measures ?? [];
  unique(measures, 'measures', 'measures');
  measures.forEach((m, i) => {
    milestone(m.from, at('measures', i, 'from'));
    milestone(m.to, at('measures', i, 'to'));
  });
  const counters = flow.counters ?? [];
  unique(counters, 'counters', 'counters');
  counters.forEach((c, i) => {
    if (c.transition !== undefined && !transitions.has(c.transition))
      out.error(
        at('counters', i, 'transition'),
        'unknown_transition',
        `No transition "${c.transition}" — use one of: ${[...transitions].join(', ')}`,
      );
    if (c.state !== undefined) state(c.state, at('counters', i, 'state'));
    if (c.event !== undefined) event(c.event, at('counters', i, 'event'));
  });
  const reports = flow.reports ?? [];
  unique(reports, 'reports', 'reports');
  const instances = flow.connectors ?? {};
  reports.forEach((r, i) => {
    if (r.kind === 'customer-health' && flow.customer === undefined)
      out.error(
        at('reports', i, 'kind'),
        'no_customer',
        'The customer health report needs the flow\'s "customer" path (e.g. "store.code")',
      );
    if (r.kind === 'customer-health' && !(flow.measures ?? []).length)
      out.warning(
        at('reports', i, 'kind'),
        'no_measures',
        'The flow declares no measures: the report will list customers and orders only',
      );
    r.channels.forEach((channel, j) => {
      const type = Object.hasOwn(instances, channel) ? instances[channel].type : undefined;
      if (!type || !REPORT_CHANNELS.includes(type))
        out.error(
          `${at('reports', i, 'channels')}/${j}`,
          'unknown_channel',
          type
            ? `"${channel}" is a ${type} connector — a report goes to one of type ${REPORT_CHANNELS.join(', ')}`
            : `No connector instance "${channel}" — declare it under "connectors" (type ${REPORT_CHANNELS.join(', ')})`,
        );
    });
  });
}

/** The connector types a report can be sent through. */
const REPORT_CHANNELS = ['email', 'wecom', 'dingtalk', 'slack'];
