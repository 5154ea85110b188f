import type { Flow } from '../flow';
import { nextTick } from '../integration/schedules';
import type { DueTimer, EngineContext, Effect, Order, OrderData, OrderEvent } from '../order';
import { timerKind } from '../order/timer-kind';
import type { EngineResult } from '../result';
import { explainRule } from '../rules';
import type {
  CompiledModel,
  CompiledPoll,
  CompiledState,
  CompiledTransition,
  CompiledValidation,
} from './compiled-model';
import { type DataValidator, applyDefaults } from './data-validator';
import { actionEffects, applySets } from './effects';
import { breachTaskEffects, breachTaskStays } from './sla-breach';
import { addDuration } from './durations';
import { dueAfter } from '../calendar/due-time';
import { applyMergePatch } from './merge-patch';
import {
  type Outcome,
  checkRules,
  guardFailed,
  holds,
  invalidData,
  notWritable,
  refuse,
  rulesFailed,
  unsafeKey,
} from './outcome';
import { findUnsafeKey } from '../json/safe-path';
import { changed, ruleScope } from './rule-scope';
import { hasOwnership, mayFireTransition, ownershipProblems } from './ownership';
import type { JsonSchema } from './data-schema';

export {
  AutoTransitionLimitError,
  type AvailableTransition,
  type CompiledFlow,
  MAX_AUTO_STEPS,
} from './compiled-flow';
import {
  AutoTransitionLimitError,
  type AvailableTransition,
  type CompiledFlow,
  MAX_AUTO_STEPS,
} from './compiled-flow';

/** Why a person may not fire the transition, in words. */
const fireNeeds = (t: CompiledTransition) =>
  t.source === 'system'
    ? 'is fired only by the system (a connector answer, a webhook or a timer)'
    : `needs the role ${t.roles!.join(' or ')}`;

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** The interpreter of one compiled flow version. Build it with `compileFlow`. */
export class FlowInterpreter implements CompiledFlow {
  private readonly rulesByTrigger: Record<'create' | 'update', CompiledValidation[]>;
  /** Whether any field says who may write it (else the ownership check is skipped). */
  private readonly owned: boolean;

  constructor(
    readonly doc: Flow,
    readonly dataSchema: JsonSchema,
    private readonly model: CompiledModel,
    private readonly validate: DataValidator,
  ) {
    this.owned = hasOwnership(doc.fields);
    this.rulesByTrigger = {
      create: model.rules.filter((r) => r.on.has('create')),
      update: model.rules.filter((r) => r.on.has('update')),
    };
  }

  create(data: OrderData, ctx: EngineContext): EngineResult {
    if (!ctx.id) throw new TypeError('create needs ctx.id, the id of the new order');
    if (!isObject(data)) return invalidData(this.validate(data));
    const hostile = findUnsafeKey(data);
    if (hostile !== undefined) return unsafeKey(hostile);
    const initial = this.model.initial;
    const withDefaults = applyDefaults(this.doc.fields, data);
    // A person's data is checked against what the flow gives by itself (the defaults).
    const owned = this.notTheirs(applyDefaults(this.doc.fields, {}), withDefaults, ctx);
    if (owned.length) return notWritable(owned);
    const draft: Order = {
      id: ctx.id,
      flow: this.doc.key,
      flowVersion: this.doc.version ?? 1,
      state: initial.id,
      data: withDefaults,
      version: 1,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    };
    const order = {
      ...draft,
      data: applySets(initial.sets, draft.data, ruleScope(draft, undefined, ctx)),
    };
    const problems = this.validate(order.data);
    if (problems.length) return invalidData(problems);
    const rules = checkRules(this.rulesByTrigger.create, ruleScope(order, undefined, ctx));
    if (rules.errors.length) return rulesFailed(rules.errors);
    const outcome: Outcome = {
      order,
      effects: this.entryEffects(initial, order, undefined, ctx),
      history: [
        {
          kind: 'created',
          version: 1,
          at: ctx.now,
          actor: ctx.actor,
          from: null,
          to: initial.id,
          payload: data,
        },
      ],
      warnings: rules.warnings,
    };
    return this.settle(outcome, ctx);
  }

  update(order: Order, mergePatch: unknown, ctx: EngineContext): EngineResult {
    if (!isObject(mergePatch))
      return refuse('invalid_data', 'A merge patch must be a JSON object', {
        problems: [
          {
            path: '',
            code: 'type',
            message: 'A merge patch must be a JSON object',
            severity: 'error',
          },
        ],
      });
    const hostile = findUnsafeKey(mergePatch);
    if (hostile !== undefined) return unsafeKey(hostile);
    const data = applyMergePatch(order.data, mergePatch) as OrderData;
    const owned = this.notTheirs(order.data, data, ctx);
    if (owned.length) return notWritable(owned);
    const problems = this.validate(data);
    if (problems.length) return invalidData(problems);
    const next = changed(order, { data, version: order.version + 1, updatedAt: ctx.now });
    const rules = checkRules(this.rulesByTrigger.update, ruleScope(next, undefined, ctx));
    if (rules.errors.length) return rulesFailed(rules.errors);
    const outcome: Outcome = {
      order: next,
      effects: [],
      history: [
        {
          kind: 'updated',
          version: next.version,
          at: ctx.now,
          actor: ctx.actor,
          from: order.state,
          to: order.state,
          payload: mergePatch,
        },
      ],
      warnings: rules.warnings,
    };
    return this.settle(outcome, ctx);
  }

  fire(order: Order, event: OrderEvent, ctx: EngineContext): EngineResult {
    const candidates = this.model.byEvent.get(order.state)?.get(event.type);
    if (!candidates) {
      const accepted = [...(this.model.byEvent.get(order.state)?.keys() ?? [])];
      const hint = accepted.length
        ? `it accepts ${accepted.map((e) => `"${e}"`).join(', ')}`
        : 'it accepts no events';
      return refuse(
        'no_transition',
        `No transition for event "${event.type}" from state "${order.state}": ${hint}`,
      );
    }
    const permitted = candidates.filter((t) => mayFireTransition(t, ctx.actor));
    if (!permitted.length) {
      const roles = [...new Set(candidates.flatMap((t) => t.roles ?? []))];
      const system = candidates.filter((t) => t.source === 'system').map((t) => `"${t.id}"`);
      const needs = [
        ...(system.length ? [`is fired only by the system (transition ${system.join(', ')})`] : []),
        ...(roles.length ? [`needs the role ${roles.join(' or ')}`] : []),
      ].join(', or ');
      return refuse(
        'forbidden',
        `Event "${event.type}" from state "${order.state}" ${needs}; ${ctx.actor.id} has ${ctx.actor.roles.join(', ') || 'no roles'}`,
        {
          problems: candidates.map((t) => ({
            path: `/transitions/${t.index}`,
            code: t.source === 'system' ? 'system_only' : 'role_needed',
            message: `Transition "${t.id}" ${fireNeeds(t)}`,
            severity: 'error' as const,
          })),
        },
      );
    }
    const scope = ruleScope(order, event.payload, ctx);
    const taken = permitted.find((t) => !t.guard || holds(t.guard, scope));
    if (!taken) return guardFailed(permitted[0].id, explainRule(permitted[0].guardLogic, scope));
    const outcome: Outcome = { order, effects: [], history: [], warnings: [] };
    const refused = this.take(outcome, taken, event, scope, ctx);
    return refused ?? this.settle(outcome, ctx);
  }

  available(order: Order, ctx: EngineContext): AvailableTransition[] {
    const scope = ruleScope(order, undefined, ctx);
    return this.model.transitions
      .filter((t) => t.from.includes(order.state))
      .map((t) => {
        const base = {
          id: t.id,
          ...(t.event !== undefined && { event: t.event }),
          auto: t.auto,
          to: t.to,
        };
        if (!t.auto && !mayFireTransition(t, ctx.actor))
          return { ...base, enabled: false, reason: fireNeeds(t) };
        if (t.guard && !holds(t.guard, scope)) {
          const explanation = explainRule(t.guardLogic, scope);
          return {
            ...base,
            enabled: false,
            reason: explanation?.message ?? 'its guard does not hold',
            ...(explanation && { explanation }),
          };
        }
        return { ...base, enabled: true };
      });
  }

  /** The values a change writes that its actor may not (none when no field is owned). */
  private notTheirs(before: OrderData, after: OrderData, ctx: EngineContext) {
    return this.owned ? ownershipProblems(this.doc.fields, before, after, ctx.actor) : [];
  }

  /**
   * Takes a transition whose guard holds: `set` actions, data check, transition rules, then the
   * new state, its history entry and effects. Writes into `outcome` only when nothing refused.
   */
  private take(
    outcome: Outcome,
    t: CompiledTransition,
    event: OrderEvent | undefined,
    scope: unknown,
    ctx: EngineContext,
  ): EngineResult | undefined {
    const order = outcome.order;
    const target = this.model.states.get(t.to)!;
    let data = applySets(t.sets, order.data, scope);
    data = applySets(target.sets, data, scope);
    // What a person's event writes (its transition's `set`s, which may copy `$event`) is
    // theirs: checked like a patch. Auto transitions are the flow's own doing.
    if (!t.auto && data !== order.data) {
      const owned = this.notTheirs(order.data, data, ctx);
      if (owned.length) return notWritable(owned, `transition "${t.id}" sets `);
    }
    if (data !== order.data) {
      const problems = this.validate(data);
      if (problems.length) return invalidData(problems);
    }
    const next = changed(order, {
      state: t.to,
      data,
      version: order.version + 1,
      updatedAt: ctx.now,
    });
    const payload = t.auto ? undefined : event?.payload;
    const nextScope = ruleScope(next, payload, ctx);
    const rules = checkRules(
      this.model.rules.filter(
        (r) => r.on.has('transition') && (!r.transitions || r.transitions.has(t.id)),
      ),
      nextScope,
    );
    if (rules.errors.length) return rulesFailed(rules.errors);

    const effects: Effect[] = [
      ...this.exitEffects(order.state, t.to, next.version),
      ...actionEffects(t.effects, nextScope, ctx, next.version),
      ...this.entryEffects(target, next, payload, ctx, t.auto ? undefined : event?.source),
    ];
    outcome.order = next;
    outcome.effects.push(...effects);
    outcome.warnings.push(...rules.warnings);
    outcome.history.push({
      kind: 'transition',
      version: next.version,
      at: ctx.now,
      actor: ctx.actor,
      from: order.state,
      to: t.to,
      transition: t.id,
      ...(!t.auto && event && { event: event.type }),
      ...(payload !== undefined && { payload }),
    });
    return undefined;
  }

  /**
   * Leaving a state: its SLA, polls and blocked-autos watch cancelled, and the tasks its entry
   * or its SLA's breach opened closed (a self-transition stays, so its tasks do too).
   */
  private exitEffects(stateId: string, to: string, version: number): Effect[] {
    const cancel = (timer: string): Effect => ({ type: 'timer.cancel', version, timer });
    const state = this.model.states.get(stateId);
    const opensTasks =
      to !== stateId &&
      (state?.effects.some((e) => e.kind === 'task') || breachTaskStays(state?.sla?.onBreach));
    return [
      ...(opensTasks ? [{ type: 'task.close' as const, version, state: stateId, to }] : []),
      ...(this.model.states.get(stateId)?.sla ? [cancel(`sla:${stateId}`)] : []),
      ...(this.model.pollsByState.get(stateId) ?? []).map((poll) => cancel(`poll:${poll.id}`)),
      ...(this.model.blockedAfter.has(stateId) ? [cancel(`blocked:${stateId}`)] : []),
    ];
  }

  /**
   * Effects of entering a state: its entry actions, its SLA timer, the polls that wait in it,
   * and its status pushed to every external system that has a code for it — except `source`,
   * the system the change came from.
   */
  private entryEffects(
    state: CompiledState,
    order: Order,
    payload: unknown,
    ctx: EngineContext,
    source?: string,
  ): Effect[] {
    const scope = ruleScope(order, payload, ctx);
    const effects: Effect[] = actionEffects(state.effects, scope, ctx, order.version).map(
      (e): Effect => (e.type === 'task.open' ? { ...e, state: state.id } : e),
    );
    if (state.sla) {
      const due = dueAfter(ctx, ctx.now, state.sla.within, state.slaCalendar);
      effects.push({
        type: 'timer.start',
        version: order.version,
        timer: `sla:${state.id}`,
        kind: 'sla',
        state: state.id,
        at: due.at,
        ...(due.calendar && { calendar: due.calendar }),
        onBreach: state.sla.onBreach,
      });
    }
    for (const poll of this.model.pollsByState.get(state.id) ?? [])
      effects.push(this.pollTimer(poll, state.id, ctx.now, ctx.now, ctx.now, order.version));
    for (const push of this.model.pushes.get(state.id) ?? [])
      if (push.system !== source)
        effects.push(
          ...actionEffects(
            [push.call],
            { ...scope, $status: push.code, $system: push.system },
            ctx,
            order.version,
          ).map((e) => ({ ...e, push: { system: push.system, state: state.id } })),
        );
    return effects;
  }

  /**
   * The next poll of a schedule: the first tick after `now` counted from `from` (the tick just
   * due, so polls do not drift; ticks missed while the server was down are skipped), or the
   * deadline when that comes first.
   */
  private pollTimer(
    poll: CompiledPoll,
    state: string,
    since: string,
    from: string,
    now: string,
    version: number,
  ): Effect {
    let at = nextTick(poll, from);
    if (Date.parse(at) <= Date.parse(now)) at = nextTick(poll, now);
    if (poll.deadline) {
      const deadline = addDuration(since, poll.deadline.after);
      if (Date.parse(deadline) < Date.parse(at)) at = deadline;
    }
    return {
      type: 'timer.start',
      version,
      timer: `poll:${poll.id}`,
      kind: 'poll',
      state,
      at,
      since,
    };
  }

  timer(order: Order, due: DueTimer, ctx: EngineContext): EngineResult {
    const unchanged: EngineResult = { ok: true, order, effects: [], history: [], warnings: [] };
    if (order.state !== due.state) return unchanged;
    const [kind, id] = [timerKind(due), due.timer.slice(due.timer.indexOf(':') + 1)];
    const next = changed(order, { version: order.version + 1, updatedAt: ctx.now });
    const outcome: Outcome = {
      order: next,
      effects: [],
      history: [
        {
          kind: 'timer',
          version: next.version,
          at: ctx.now,
          actor: ctx.actor,
          from: order.state,
          to: order.state,
          payload: due,
        },
      ],
      warnings: [],
    };
    const scope = ruleScope(next, undefined, ctx);
    let event: string | undefined;
    if (kind === 'sla') {
      const breach = this.model.states.get(id)?.sla?.onBreach;
      if (!breach) return unchanged;
      outcome.effects.push(...breachTaskEffects(breach, id, scope, ctx, next.version));
      event = breach.event;
    } else if (kind === 'poll') {
      const poll = this.model.polls.get(id);
      if (!poll || !poll.states.includes(order.state)) return unchanged;
      if (poll.until && holds(poll.until, scope)) return unchanged;
      const since = due.since ?? due.at;
      const deadline = poll.deadline;
      if (deadline && Date.parse(ctx.now) >= Date.parse(addDuration(since, deadline.after))) {
        if (deadline.notify)
          outcome.effects.push(
            ...actionEffects([{ kind: 'notify', ...deadline.notify }], scope, ctx, next.version),
          );
        event = deadline.event;
      } else
        outcome.effects.push(
          ...actionEffects([poll.call], scope, ctx, next.version),
          this.pollTimer(poll, order.state, since, due.at, ctx.now, next.version),
        );
    } else return unchanged;
    if (event !== undefined) {
      // The event changes the order only if a transition takes it; otherwise the timer's own
      // effects stand alone.
      const fired = this.fire(next, { type: event }, ctx);
      if (fired.ok)
        return {
          ...fired,
          effects: [...outcome.effects, ...fired.effects],
          history: [...outcome.history, ...fired.history],
        };
    }
    return this.settle(outcome, ctx);
  }

  /** Follows auto transitions to a fixed point: the first whose guard holds, until none does. */
  private settle(outcome: Outcome, ctx: EngineContext): EngineResult {
    const path = [outcome.order.state];
    for (let steps = 0; ; steps++) {
      const autos = this.model.autos.get(outcome.order.state);
      if (!autos) break;
      const scope = ruleScope(outcome.order, undefined, ctx);
      // An auto transition refused by its data or rules is simply not taken: the order waits.
      const taken = autos.some(
        (t) =>
          (!t.guard || holds(t.guard, scope)) &&
          this.take(outcome, t, undefined, scope, ctx) === undefined,
      );
      if (!taken) {
        this.watchBlocked(outcome, ctx);
        break;
      }
      path.push(outcome.order.state);
      if (steps + 1 >= MAX_AUTO_STEPS) throw new AutoTransitionLimitError(path);
    }
    return { ok: true, ...outcome };
  }

  /** The order waits on blocked auto transitions: watch how long (kept if already watched). */
  private watchBlocked(outcome: Outcome, ctx: EngineContext): void {
    const { state, version } = outcome.order;
    const after = this.model.blockedAfter.get(state);
    if (after !== undefined)
      outcome.effects.push({
        type: 'timer.start',
        version,
        timer: `blocked:${state}`,
        kind: 'blocked',
        state,
        at: addDuration(ctx.now, after),
        since: ctx.now,
      });
  }
}
