import type { Action, Flow, Label, Rule, RuleTrigger, Sla, State } from '../flow';
import { compileRule, type CompiledRule } from '../rules';

/** A `set` action, compiled: each target dot path with its value expression. */
export interface CompiledSet {
  kind: 'set';
  assignments: [path: string, value: CompiledRule][];
}

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
      assignee?: string;
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
  sets: CompiledSet[];
  effects: CompiledEffectAction[];
}

/** A state with its entry actions compiled. */
export interface CompiledState {
  id: string;
  initial: boolean;
  final: boolean;
  sla?: Sla;
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

/** Splits a list of actions into data writes and effect-producing actions. */
export function compileActions(actions: readonly Action[] | undefined): {
  sets: CompiledSet[];
  effects: CompiledEffectAction[];
} {
  const sets: CompiledSet[] = [];
  const effects: CompiledEffectAction[] = [];
  for (const action of actions ?? []) {
    if ('set' in action) sets.push({ kind: 'set', assignments: compileAssignments(action.set) });
    else if ('call' in action)
      effects.push({ kind: 'call', ...action.call, input: compileAssignments(action.call.input) });
    else if ('notify' in action) effects.push({ kind: 'notify', ...action.notify });
    else if ('emit' in action)
      effects.push({
        kind: 'emit',
        event: action.emit.event,
        payload: compileAssignments(action.emit.payload),
      });
    else if ('task' in action)
      effects.push({ kind: 'task', ...action.task, priority: action.task.priority ?? 'normal' });
    else {
      const unknownAction: never = action;
      throw new Error(`Unknown action ${JSON.stringify(unknownAction)}`);
    }
  }
  return { sets, effects };
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
}

function compileState(state: State): CompiledState {
  return {
    id: state.id,
    initial: state.initial === true,
    final: state.final === true,
    sla: state.sla,
    ...compileActions(state.entry),
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
  const states = new Map(doc.states.map((s) => [s.id, compileState(s)]));
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
    ...compileActions(t.actions),
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
  };
}
