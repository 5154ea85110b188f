import type { DueCalendar } from '../calendar/due-time';
import type { Audience, Label } from '../flow';

/** Fields every effect carries: which history entry caused it. */
interface EffectBase {
  /** The order version of the history entry that produced the effect. */
  version: number;
}

/** Call a connector action; its answer comes back as `onSuccess` / `onFailure` events. */
export interface ConnectorCallEffect extends EffectBase {
  type: 'connector.call';
  connector: string;
  action: string;
  input: Record<string, unknown>;
  resultPath?: string;
  onSuccess?: string;
  onFailure?: string;
  /**
   * A status push to an external system, for the order entering `state`: dropped when it
   * runs after the order has moved on to a state the system also has a code for (a newer
   * push, or the system's own newer report, must not be overwritten by this one).
   */
  push?: { system: string; state: string };
}

/** Tell people something. `message` is already filled from the order. */
export interface NotifyEffect extends EffectBase {
  type: 'notify';
  to: Audience;
  message: Label;
  channels?: string[];
}

/** An outbound event for webhook subscribers. */
export interface EmitEffect extends EffectBase {
  type: 'emit';
  event: string;
  payload: Record<string, unknown>;
}

/** Open a human task. `due` is an absolute time computed from the context clock. */
export interface TaskOpenEffect extends EffectBase {
  type: 'task.open';
  queue: string;
  title: Label;
  priority: 'low' | 'normal' | 'high' | 'urgent';
  due?: string;
  /** The business calendar `due` was counted in (absent: wall-clock time). */
  calendar?: DueCalendar;
  assignee?: string;
  /** Still open at `due`: moved to this queue (urgent), and/or this event fired on the order. */
  escalate?: { queue?: string; event?: string };
  /**
   * The state whose entry opened the task: the task is about the order being there, so it
   * closes by itself (`task.close`) when the order leaves it.
   */
  state?: string;
}

/** Close the open tasks a state's entry opened: the order has left the state (for `to`). */
export interface TaskCloseEffect extends EffectBase {
  type: 'task.close';
  state: string;
  /** The state the order went to (for the note on each closed task). */
  to: string;
}

/**
 * Start a timer that fires at `at` unless cancelled first: a state's SLA (`sla:<state>`), a
 * schedule polling the order (`poll:<trigger>`), or auto transitions blocked too long
 * (`blocked:<state>`). A timer that is already running is left as it is.
 */
/** What a timer is for: a state's SLA, a poll waiting in a state, a blocked-autos watch. */
export type TimerKind = 'sla' | 'poll' | 'blocked';

export interface TimerStartEffect extends EffectBase {
  type: 'timer.start';
  /** Stable timer id within the order, e.g. `sla:stock_locked`. */
  timer: string;
  kind: TimerKind;
  /** The state the timer belongs to: it means nothing once the order has left it. */
  state: string;
  at: string;
  /** The business calendar `at` was counted in (absent: wall-clock time). */
  calendar?: DueCalendar;
  /** When the order entered the state (polling deadlines count from it). */
  since?: string;
  /** What an SLA breach does, copied from the state's SLA. */
  onBreach?: { event?: string; task?: { queue: string; title?: Label } };
}

/** Cancel a timer started earlier (the order left the state). */
export interface TimerCancelEffect extends EffectBase {
  type: 'timer.cancel';
  timer: string;
}

/** A side effect as data: the engine returns these; the server's runtime carries them out. */
export type Effect =
  | ConnectorCallEffect
  | NotifyEffect
  | EmitEffect
  | TaskOpenEffect
  | TaskCloseEffect
  | TimerStartEffect
  | TimerCancelEffect;

/** The `type` of an effect. */
export type EffectType = Effect['type'];
