import type { Action, Flow } from '../flow';
import { parseBusinessDuration } from '../calendar/business-time';
import { at, type ProblemList } from './problem-list';

/**
 * Business time: a duration counted `in: "business"` (an SLA, a task's due, a measure) needs
 * the flow's `calendar`, and counts days, hours, minutes and seconds only (a business month or
 * week means nothing exact); a calendar nothing counts in is named for nothing.
 */
export function lintCalendar(flow: Flow, out: ProblemList): void {
  let used = false;
  const check = (
    duration: string | undefined,
    basis: string | undefined,
    path: string[],
    durationKey: string,
  ) => {
    if (basis !== 'business') return;
    used = true;
    if (flow.calendar === undefined)
      out.error(
        at(...path, 'in'),
        'no_calendar',
        'Business time needs a calendar — name the data set of working hours in the flow\'s "calendar"',
      );
    if (duration !== undefined && !parseBusinessDuration(duration))
      out.error(
        at(...path, durationKey),
        'business_duration',
        `"${duration}" cannot be counted in business time — use days, hours and minutes (P2D, PT4H)`,
      );
  };
  const actions = (list: readonly Action[] | undefined, path: (string | number)[]) =>
    list?.forEach((a, i) => {
      if ('task' in a) check(a.task.due, a.task.in, [...path, i, 'task'].map(String), 'due');
    });
  flow.states.forEach((s, i) => {
    if (s.sla) check(s.sla.within, s.sla.in, ['states', String(i), 'sla'], 'within');
    actions(s.entry, ['states', i, 'entry']);
  });
  flow.transitions.forEach((t, i) => actions(t.actions, ['transitions', i, 'actions']));
  (flow.exceptions ?? []).forEach((r, i) => {
    if (r.task) check(r.task.due, r.task.in, ['exceptions', String(i), 'task'], 'due');
  });
  (flow.measures ?? []).forEach((m, i) => check(m.target, m.in, ['measures', String(i)], 'target'));
  if (flow.calendar !== undefined && !used)
    out.warning(
      '/calendar',
      'unused_calendar',
      `No duration is counted in the calendar "${flow.calendar}" — mark an SLA, a task's due or a measure with "in": "business"`,
    );
}
