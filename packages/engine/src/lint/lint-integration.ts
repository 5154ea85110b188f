import type { Flow } from '../flow';
import { unsafeMessage, unsafeSegment } from '../json/safe-path';
import { cronProblem } from '../integration/schedules';
import { checkRule, RuleError } from '../rules';
import { at, type ProblemList } from './problem-list';

/** Checks the operators of an expression that reads a delivery or an answer, not the fields. */
function checkShape(expr: unknown, path: string, out: ProblemList): void {
  try {
    checkRule(expr);
  } catch (error) {
    if (!(error instanceof RuleError)) throw error;
    out.error(path + error.path, error.code, error.message);
  }
}

/**
 * Triggers, external systems, exception rules and queues: unique ids, states and events that
 * exist, exactly one way to settle each exception, and expressions that compile.
 */
export function lintIntegration(flow: Flow, out: ProblemList): void {
  const states = new Set(flow.states.map((s) => s.id));
  const events = new Set(flow.transitions.map((t) => t.event).filter(Boolean));
  const systems = flow.systems ?? {};
  const state = (id: string, path: string) => {
    if (!states.has(id))
      out.error(path, 'unknown_state', `No state "${id}" — use one of: ${[...states].join(', ')}`);
  };
  const event = (name: string, path: string) => {
    if (!events.has(name))
      out.warning(
        path,
        'unhandled_event',
        `No transition handles the event "${name}" — it will change nothing; add a transition with "event": "${name}"`,
      );
  };

  const seen = new Set<string>();
  (flow.triggers ?? []).forEach((trigger, i) => {
    if (seen.has(trigger.id))
      out.error(at('triggers', i, 'id'), 'duplicate_id', `Two triggers are called "${trigger.id}"`);
    seen.add(trigger.id);
    if ('webhook' in trigger) {
      const hook = trigger.webhook;
      const base = at('triggers', i, 'webhook');
      checkShape(hook.find.value, `${base}/find/value`, out);
      for (const [key, value] of Object.entries(hook.create?.data ?? {}))
        checkShape(value, `${base}/create/data/${key}`, out);
      if (hook.event) {
        checkShape(hook.event.type, `${base}/event/type`, out);
        if (typeof hook.event.type === 'string') event(hook.event.type, `${base}/event/type`);
      }
      if (hook.system !== undefined) {
        if (!Object.hasOwn(systems, hook.system))
          out.error(
            `${base}/system`,
            'unknown_system',
            `No external system "${hook.system}" — declare it under "systems"`,
          );
        if (hook.status === undefined)
          out.error(
            base,
            'missing_status',
            `Trigger "${trigger.id}" reads a system's status: say where it is ("status": {"var": "$body.status"})`,
          );
        if (hook.event)
          out.error(
            `${base}/event`,
            'event_and_system',
            `Trigger "${trigger.id}" has an event and a system — the system's status code names the event: remove one`,
          );
      } else if (!hook.event && !hook.create)
        out.error(
          base,
          'nothing_to_do',
          `Trigger "${trigger.id}" neither creates an order nor fires an event — add "create", "event" or "system"`,
        );
    } else if ('pull' in trigger) {
      const pull = trigger.pull;
      const instance = flow.connectors?.[pull.connector];
      if (!instance)
        out.error(
          at('triggers', i, 'pull', 'connector'),
          'unknown_connector',
          `Pull "${trigger.id}" reads through "${pull.connector}", which is not a connector of the flow — declare it under "connectors"`,
        );
      for (const [source, target] of Object.entries(pull.mapping))
        for (const path of [source, target ?? '']) {
          const segment = unsafeSegment(path.replace(/\[\]/g, ''));
          if (segment !== undefined)
            out.error(
              at('triggers', i, 'pull', 'mapping', source),
              'unsafe_path',
              unsafeMessage(path, segment),
            );
        }
      if (!Object.values(pull.mapping).includes('externalRef'))
        out.error(
          at('triggers', i, 'pull', 'mapping'),
          'missing_reference',
          `Pull "${trigger.id}" must map a record's reference to "externalRef": it is how an order is never taken twice`,
        );
    } else {
      const schedule = trigger.schedule;
      const base = at('triggers', i, 'schedule');
      if ((schedule.every === undefined) === (schedule.cron === undefined))
        out.error(
          base,
          'schedule_interval',
          `Schedule "${trigger.id}" needs exactly one of "every" (PT15M) and "cron" (*/15 * * * *)`,
        );
      const bad = schedule.cron === undefined ? undefined : cronProblem(schedule.cron);
      if (bad) out.error(`${base}/cron`, 'invalid_cron', `Invalid cron "${schedule.cron}": ${bad}`);
      schedule.states.forEach((s, j) => state(s, `${base}/states/${j}`));
      if (schedule.until !== undefined) checkShape(schedule.until, `${base}/until`, out);
      if (schedule.deadline?.event !== undefined)
        event(schedule.deadline.event, `${base}/deadline/event`);
    }
  });

  for (const [name, system] of Object.entries(systems)) {
    const codes = new Set<string>();
    system.statuses.forEach((mapping, j) => {
      const base = at('systems', name, 'statuses', j);
      if (codes.has(mapping.code))
        out.error(
          `${base}/code`,
          'duplicate_code',
          `System "${name}" maps "${mapping.code}" twice`,
        );
      codes.add(mapping.code);
      state(mapping.state, `${base}/state`);
      if (mapping.event !== undefined && states.has(mapping.state)) {
        const reaches = flow.transitions.some(
          (t) => t.event === mapping.event && t.to === mapping.state,
        );
        if (!reaches)
          out.warning(
            `${base}/event`,
            'event_misses_state',
            `No transition on "${mapping.event}" leads to "${mapping.state}" — "${mapping.code}" from ${name} would not bring the order there`,
          );
      }
    });
  }

  (flow.exceptions ?? []).forEach((rule, i) => {
    const base = at('exceptions', i);
    const ways = (['retry', 'event', 'patch', 'task'] as const).filter(
      (k) => rule[k] !== undefined,
    );
    if (ways.length !== 1)
      out.error(
        base,
        'exception_resolution',
        `Exception rule ${i} (${rule.kind}) must say exactly one of "retry", "event", "patch" or "task"${ways.length ? ` (it says ${ways.join(' and ')})` : ''}`,
      );
    if (rule.retry && rule.kind !== 'connector_failed')
      out.error(
        `${base}/retry`,
        'retry_needs_call',
        `Only a failed call can be retried, not ${rule.kind}`,
      );
    if (rule.kind === 'auto_blocked' && rule.after === undefined)
      out.error(
        base,
        'missing_after',
        'auto_blocked needs "after": how long blocked is too long (PT1H)',
      );
    if (rule.state !== undefined) state(rule.state, `${base}/state`);
    if (rule.event !== undefined) event(rule.event, `${base}/event`);
    if (rule.connector !== undefined && !Object.hasOwn(flow.connectors ?? {}, rule.connector))
      out.error(
        `${base}/connector`,
        'unknown_connector',
        `No connector instance "${rule.connector}"`,
      );
    if (rule.trigger !== undefined && !seen.has(rule.trigger))
      out.error(`${base}/trigger`, 'unknown_trigger', `No trigger "${rule.trigger}"`);
    if (rule.rule !== undefined && !(flow.rules ?? []).some((r) => r.id === rule.rule))
      out.error(`${base}/rule`, 'unknown_rule', `No rule "${rule.rule}"`);
    if (rule.when !== undefined) checkShape(rule.when, `${base}/when`, out);
    for (const [key, value] of Object.entries(rule.patch ?? {}))
      checkShape(value, `${base}/patch/${key}`, out);
  });

  // A task's escalation fires an event on the order: some transition should handle it.
  const tasks = [
    ...flow.states.flatMap((st, i) =>
      (st.entry ?? []).map((a, j) => [a, `/states/${i}/entry/${j}`] as const),
    ),
    ...flow.transitions.flatMap((t, i) =>
      (t.actions ?? []).map((a, j) => [a, `/transitions/${i}/actions/${j}`] as const),
    ),
  ];
  for (const [action, path] of tasks) {
    if (!('task' in action) || !action.task.escalate) continue;
    if (action.task.due === undefined)
      out.error(
        `${path}/task/escalate`,
        'escalate_needs_due',
        'A task escalates when it is still open at its "due" time: give it a "due" (PT4H)',
      );
    if (action.task.escalate.event !== undefined)
      event(action.task.escalate.event, `${path}/task/escalate/event`);
  }
}
