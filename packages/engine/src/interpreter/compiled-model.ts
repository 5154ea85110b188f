import type { TaskEscalation } from '../flow/action.schema';
import type { Action, Flow, Label, Rule, RuleTrigger, ScheduleDeadline, Sla, State } from '../flow';
import { compileRule, type CompiledRule } from '../rules';

/** A per-line `set` target `lines[].bin`: the array's dot path and the path inside a line. */
export interface LineTarget {
  array: string;
  inner: string;
}

/** A `set` action, compiled: each target dot path (or per-line target) with its expression. */
export interface CompiledSet {
  kind: 'set';
  assignments: [path: string, value: CompiledRule, line?: LineTarget][];
}

/** `lines[].bin` → `{ array: 'lines', inner: 'bin' }`; undefined for a plain dot path. */
export function lineTargetOf(path: string): LineTarget | undefined {
  const at = path.indexOf('[].');
  return at < 0 ? undefined : { array: path.slice(0, at), inner: path.slice(at + 3) };
}

const compileSet = (map: Record<string, unknown>): CompiledSet => ({
  kind: 'set',
  assignments: Object.entries(map).map(([key, logic]) => {
    const line = lineTargetOf(key);
    return line ? [key, compileRule(logic), line] : [key, compileRule(logic)];
  }),
});

/** An action that becomes an effect (call, notify, emit, task), with its expressions compiled. */
export type CompiledEffectAction =
  | {
      kind: 'call';
      connector: string;
      action: string;
      input: [string, CompiledRule][];
      resultPath?: string;
      onSuccess?: string;
      onFailure?: string;
    }
  | {
      kind: 'notify';
      to: { role?: string; queue?: string; user?: string };
      message: Label;
      channels?: string[];
    }
  | { kind: 'emit'; event: string; payload: [string, CompiledRule][] }
  | {
      kind: 'task';
      queue: string;
      title: Label;
      priority: 'low' | 'normal' | 'high' | 'urgent';
      due?: string;
      /** The calendar data set `due` is counted in (`in: "business"`); absent: wall-clock. */
      calendar?: string;
      assignee?: string;
      escalate?: TaskEscalation;
    };

/** A transition with its guard and actions compiled. */
export interface CompiledTransition {
  id: string;
  index: number;
  from: string[];
  to: string;
  event?: string;
  auto: boolean;
  guardLogic: unknown;
  guard?: CompiledRule;
  roles?: string[];
  /** `system`: only the system fires it. */
  source?: 'system';
  sets: CompiledSet[];
  effects: CompiledEffectAction[];
}

/** A state with its entry actions compiled. */
export interface CompiledState {
  id: string;
  initial: boolean;
  final: boolean;
  sla?: Sla;
  /** The calendar data set the SLA is counted in (`in: "business"`); absent: wall-clock. */
  slaCalendar?: string;
  sets: CompiledSet[];
  effects: CompiledEffectAction[];
}

/** A validation rule, compiled. */
export interface CompiledValidation {
  id: string;
  index: number;
  severity: 'error' | 'warning';
  on: Set<RuleTrigger>;
  transitions?: Set<string>;
  message: Label;
  path?: string;
  logic: unknown;
  test: CompiledRule;
}

const compileAssignments = (map: Record<string, unknown> | undefined): [string, CompiledRule][] =>
  Object.entries(map ?? {}).map(([key, logic]) => [key, compileRule(logic)]);

type CompiledCall = Extract<CompiledEffectAction, { kind: 'call' }>;

const compileCall = (call: Extract<Action, { call: unknown }>['call']): CompiledCall => ({
  kind: 'call',
  ...call,
  input: compileAssignments(call.input),
});

/** Splits a list of actions into data writes and effect-producing actions. */
export function compileActions(
  actions: readonly Action[] | undefined,
  calendar?: string,
): {
  sets: CompiledSet[];
  effects: CompiledEffectAction[];
} {
  const sets: CompiledSet[] = [];
  const effects: CompiledEffectAction[] = [];
  for (const action of actions ?? []) {
    if ('set' in action) sets.push(compileSet(action.set));
    else if ('call' in action) effects.push(compileCall(action.call));
    else if ('notify' in action) effects.push({ kind: 'notify', ...action.notify });
    else if ('emit' in action)
      effects.push({
        kind: 'emit',
        event: action.emit.event,
        payload: compileAssignments(action.emit.payload),
      });
    else if ('task' in action) {
      const { in: basis, ...task } = action.task;
      effects.push({
        kind: 'task',
        ...task,
        priority: task.priority ?? 'normal',
        ...(basis === 'business' && calendar !== undefined && { calendar }),
      });
    } else {
      const unknownAction: never = action;
      throw new Error(`Unknown action ${JSON.stringify(unknownAction)}`);
    }
  }
  return { sets, effects };
}

/** A schedule that polls orders in some states, compiled. */
export interface CompiledPoll {
  id: string;
  every?: string;
  cron?: string;
  states: string[];
  call: CompiledCall;
  until?: CompiledRule;
  deadline?: ScheduleDeadline;
}

/** A status push to an external system on entering a state, compiled. */
export interface CompiledPush {
  system: string;
  code: string;
  call: CompiledCall;
}

/** The flow document compiled: every expression compiled once, transitions indexed. */
export interface CompiledModel {
  states: Map<string, CompiledState>;
  initial: CompiledState;
  transitions: CompiledTransition[];
  /** state → event → candidate transitions, in document order. */
  byEvent: Map<string, Map<string, CompiledTransition[]>>;
  /** state → auto transitions, in document order. */
  autos: Map<string, CompiledTransition[]>;
  rules: CompiledValidation[];
  /** Schedules by id, and by the states they poll in. */
  polls: Map<string, CompiledPoll>;
  pollsByState: Map<string, CompiledPoll[]>;
  /** state → pushes to the external systems that have a code for it. */
  pushes: Map<string, CompiledPush[]>;
  /** state → how long its auto transitions may stay blocked before it is an exception. */
  blockedAfter: Map<string, string>;
}

function compileIntegration(
  doc: Flow,
  autos: Map<string, CompiledTransition[]>,
): Pick<CompiledModel, 'polls' | 'pollsByState' | 'pushes' | 'blockedAfter'> {
  const polls = new Map<string, CompiledPoll>();
  const pollsByState = new Map<string, CompiledPoll[]>();
  for (const trigger of doc.triggers ?? []) {
    if (!('schedule' in trigger)) continue;
    const { schedule } = trigger;
    const poll: CompiledPoll = {
      id: trigger.id,
      every: schedule.every,
      cron: schedule.cron,
      states: schedule.states,
      call: compileCall(schedule.call),
      until: schedule.until === undefined ? undefined : compileRule(schedule.until),
      deadline: schedule.deadline,
    };
    polls.set(poll.id, poll);
    for (const state of poll.states)
      pollsByState.set(state, [...(pollsByState.get(state) ?? []), poll]);
  }
  const pushes = new Map<string, CompiledPush[]>();
  for (const [system, def] of Object.entries(doc.systems ?? {})) {
    if (!def.push) continue;
    const call = compileCall(def.push.call);
    const coded = new Set<string>();
    for (const { code, state } of def.statuses) {
      // A state with several codes is sent as its first one.
      if (coded.has(state)) continue;
      coded.add(state);
      pushes.set(state, [...(pushes.get(state) ?? []), { system, code, call }]);
    }
  }
  const blockedAfter = new Map<string, string>();
  for (const rule of doc.exceptions ?? [])
    if (rule.kind === 'auto_blocked' && rule.after !== undefined)
      for (const state of autos.keys())
        if ((rule.state === undefined || rule.state === state) && !blockedAfter.has(state))
          blockedAfter.set(state, rule.after);
  return { polls, pollsByState, pushes, blockedAfter };
}

function compileState(state: State, calendar: string | undefined): CompiledState {
  return {
    id: state.id,
    initial: state.initial === true,
    final: state.final === true,
    sla: state.sla,
    ...(state.sla?.in === 'business' && calendar !== undefined && { slaCalendar: calendar }),
    ...compileActions(state.entry, calendar),
  };
}

function compileValidation(rule: Rule, index: number): CompiledValidation {
  return {
    id: rule.id,
    index,
    severity: rule.severity ?? 'error',
    on: new Set(rule.on ?? ['create', 'update']),
    transitions: rule.transitions ? new Set(rule.transitions) : undefined,
    message: rule.message,
    path: rule.path,
    logic: rule.logic,
    test: compileRule(rule.logic),
  };
}

/** Compiles a (valid) flow document into its executable model. */
export function compileModel(doc: Flow): CompiledModel {
  const states = new Map(doc.states.map((s) => [s.id, compileState(s, doc.calendar)]));
  const initial = [...states.values()].find((s) => s.initial);
  if (!initial) throw new Error('flow has no initial state');
  const transitions = doc.transitions.map((t, index): CompiledTransition => ({
    id: t.id,
    index,
    from: Array.isArray(t.from) ? t.from : [t.from],
    to: t.to,
    event: t.event,
    auto: t.auto === true,
    guardLogic: t.guard,
    guard: t.guard === undefined ? undefined : compileRule(t.guard),
    roles: t.roles,
    ...(t.source && { source: t.source }),
    ...compileActions(t.actions, doc.calendar),
  }));
  const byEvent = new Map<string, Map<string, CompiledTransition[]>>();
  const autos = new Map<string, CompiledTransition[]>();
  for (const t of transitions) {
    for (const from of t.from) {
      if (t.auto) autos.set(from, [...(autos.get(from) ?? []), t]);
      else if (t.event !== undefined) {
        const events = byEvent.get(from) ?? new Map<string, CompiledTransition[]>();
        events.set(t.event, [...(events.get(t.event) ?? []), t]);
        byEvent.set(from, events);
      }
    }
  }
  return {
    states,
    initial,
    transitions,
    byEvent,
    autos,
    rules: (doc.rules ?? []).map(compileValidation),
    ...compileIntegration(doc, autos),
  };
}
