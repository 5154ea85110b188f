import type { SystemName } from '@ordo/fake-systems';
import { type Rng, rngFor } from './dice';
import type { PlannedOrder, Row } from './order-maker';
import type { Handling, Scenario, SystemAction } from './scenario.schema';
import type { Answer, Api } from './sim-api';
import { DAY_MS, type SimClock } from './sim-clock';
import type { ScenarioCalendar } from './sim-calendar';
import { draw, onShift, type Person } from './sim-people';

/** The run's state: orders made, people at work, queue samples. */
export class Run {
  readonly refs = new Map<string, string>();
  readonly ids = new Map<string, string>();
  readonly taken = new Set<string>();
  readonly queueSamples = new Map<string, number[]>();
  readonly failedActions = new Map<string, number>();
  /**
   * Orders whose event the server refused in a state (a rule failed): a person does not take
   * them again while they wait there — trying the same refused approval again and again held
   * the one sales manager of the FMCG scenario, and a month's approvals piled up behind it.
   */
  readonly refusedIn = new Map<string, string>();
  refused = 0;
  /** The orders the server refused (their mistakes were stopped at the door). */
  readonly refusedRefs = new Set<string>();
  /** How many messages the fake group robots received. */
  notifications: () => Promise<number> = async () => 0;
  /** The flow's business calendar, when the scenario follows it. */
  calendar?: ScenarioCalendar;
  /** The run's seed (the dice of `share`). */
  seed = 0;
  /** How many times each order was taken in a state (`state:orderId`): a new die each visit. */
  private readonly visits = new Map<string, number>();
  /** The part of each visit's die a handling with `share` takes. */
  private readonly bands = new Map<Handling, [number, number]>();
  constructor(
    readonly api: Api,
    readonly s: Scenario,
    readonly flow: string,
    readonly clock: SimClock,
    readonly people: Person[],
    readonly rngs: Map<string, Rng>,
    readonly rows: Map<string, Row[]>,
    readonly urls: Record<SystemName, string>,
  ) {
    for (const role of Object.values(s.people)) {
      const taken = new Map<string, number>();
      for (const h of role.handles) {
        if (!('state' in h) || h.share === undefined) continue;
        const from = taken.get(h.state) ?? 0;
        this.bands.set(h, [from, from + h.share]);
        taken.set(h.state, from + h.share);
      }
      for (const h of role.handles)
        if ('state' in h && h.share === undefined && taken.has(h.state))
          this.bands.set(h, [taken.get(h.state)!, 1]);
    }
  }

  /** Whether the order's die for this visit of the state falls in the handling's share. */
  private inShare(h: Handling, orderId: string): boolean {
    const band = this.bands.get(h);
    if (!band || !('state' in h)) return true;
    const visit = this.visits.get(`${h.state}:${orderId}`) ?? 0;
    const die = rngFor(this.seed, `share:${h.state}:${this.refs.get(orderId)}:${visit}`)();
    return die >= band[0] && die < band[1];
  }

  async create(order: PlannedOrder): Promise<void> {
    const made = await this.api('POST', '/api/orders', {
      flow: this.flow,
      externalRef: order.externalRef,
      ...(order.channel && { channel: order.channel }),
      data: order.data,
    });
    if (made.status !== 201) {
      this.refused++;
      this.refusedRefs.add(order.externalRef);
      return;
    }
    this.refs.set(made.body.id, order.externalRef);
    this.ids.set(order.externalRef, made.body.id);
  }

  /** The day's goods-in, when the step passes the restock time. */
  async restock(t: number, stepMs: number, wms: string): Promise<void> {
    const r = this.s.restock;
    if (!r) return;
    const local = (t + this.s.utcOffsetMinutes * 60_000) % DAY_MS;
    const at = (Number(r.at.slice(0, 2)) * 60 + Number(r.at.slice(3))) * 60_000;
    if (local > at || local + stepMs <= at) return;
    for (const row of r.rows ?? this.rows.get(r.dataset!) ?? []) {
      const answer = await fetch(`${wms}/_test/goods-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sku: row[r.key], bin: row[r.bin], qty: r.qty }),
      });
      await answer.arrayBuffer();
    }
  }

  /** People finish what is due, then those free and on shift take the next piece of work. */
  async work(t: number, stepMs: number): Promise<void> {
    for (const person of this.people) {
      if (person.doing && person.busyUntil <= t) await this.finish(person, t);
      if (onShift(this.s, person, t, this.calendar)) person.shiftMs += stepMs;
    }
    // One look per kind of work and step: only people's own takes change it meanwhile.
    const looked = new Map<Handling, { orderId: string; taskId?: number }[]>();
    for (const person of this.people) {
      if (person.doing || !onShift(this.s, person, t, this.calendar)) continue;
      // Done within the last step: the next piece starts when the last ended, not at the step
      // (rounding each piece up to the 5-minute step cost people a third of their day).
      await this.take(person, person.busyUntil > t - stepMs ? person.busyUntil : t, looked);
    }
  }

  private async candidates(
    h: Handling,
    all = false,
  ): Promise<{ orderId: string; taskId?: number }[]> {
    const byRef = (a: { orderId: string }, b: { orderId: string }) =>
      (this.refs.get(a.orderId) ?? a.orderId).localeCompare(this.refs.get(b.orderId) ?? b.orderId);
    if ('task' in h) {
      const list = await this.api(
        'GET',
        `/api/tasks?queue=${encodeURIComponent(h.task.queue)}&status=open&limit=200`,
      );
      // A kind of work is the kind of exception the task settles (tasks carry no kind: the
      // filter on one matched nothing, and blocked FMCG orders' bins were never fixed).
      const ofKind = h.task.kind ? await this.openExceptions(h.task.kind) : undefined;
      return (list.body.items as { id: number; orderId: string; exceptionId: number | null }[])
        .filter(
          (task) =>
            (!ofKind || (task.exceptionId !== null && ofKind.has(task.exceptionId))) &&
            !this.taken.has(`task:${task.id}`),
        )
        .map((task) => ({ orderId: task.orderId, taskId: task.id }))
        .sort((a, b) => byRef(a, b) || a.taskId - b.taskId);
    }
    const list = await this.api(
      'GET',
      `/api/orders?flow=${this.flow}&state=${h.state}&limit=200&sort=createdAt`,
    );
    return (list.body.items as { id: string }[])
      .filter(
        (o) =>
          !this.taken.has(`order:${o.id}`) &&
          this.refusedIn.get(o.id) !== h.state &&
          (all || this.inShare(h, o.id)),
      )
      .map((o) => ({ orderId: o.id }))
      .sort(byRef);
  }

  /** The ids of the flow's open exceptions of a kind. */
  private async openExceptions(kind: string): Promise<Set<number>> {
    const ids = new Set<number>();
    let cursor: string | null = null;
    do {
      const page = await this.api(
        'GET',
        `/api/exceptions?flow=${this.flow}&kind=${encodeURIComponent(kind)}&status=open&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      for (const e of page.body.items as { id: number }[]) ids.add(e.id);
      cursor = page.body.nextCursor;
    } while (cursor);
    return ids;
  }

  private async take(
    person: Person,
    t: number,
    looked: Map<Handling, { orderId: string; taskId?: number }[]>,
  ): Promise<void> {
    for (const h of this.s.people[person.role].handles) {
      let waiting = looked.get(h);
      if (!waiting) looked.set(h, (waiting = await this.candidates(h)));
      // Two kinds of work may list one task (a queue, and a kind of it): taken is taken.
      let next = waiting.shift();
      while (
        next &&
        this.taken.has(next.taskId !== undefined ? `task:${next.taskId}` : `order:${next.orderId}`)
      )
        next = waiting.shift();
      if (!next) continue;
      if (next.taskId !== undefined) {
        const claimed = await this.api('POST', `/api/tasks/${next.taskId}/claim`, {}, person.key);
        if (claimed.status !== 200) continue;
        this.taken.add(`task:${next.taskId}`);
      } else {
        this.taken.add(`order:${next.orderId}`);
        const visit = `${(h as { state: string }).state}:${next.orderId}`;
        this.visits.set(visit, (this.visits.get(visit) ?? 0) + 1);
      }
      const minutes = draw(h.minutes, this.rngs.get(person.role)!);
      person.doing = { handling: h, ...next };
      person.busyUntil = t + minutes * 60_000;
      person.busyMs += minutes * 60_000;
      return;
    }
  }

  private async finish(person: Person, t: number): Promise<void> {
    const { handling: h, orderId, taskId } = person.doing!;
    person.doing = undefined;
    person.handled++;
    let answer: Answer;
    if (taskId !== undefined && 'task' in h) {
      const body: Record<string, unknown> = {};
      if (h.fixLines && this.s.lines) {
        const order = await this.api('GET', `/api/orders/${orderId}`);
        const table = new Map(
          (this.rows.get(h.fixLines.dataset) ?? []).map((r) => [r[h.fixLines!.key], r]),
        );
        const lines = (order.body.data[this.s.lines.path] as Row[]).map((line) => ({
          ...line,
          [h.fixLines!.field]:
            table.get(line[h.fixLines!.key])?.[h.fixLines!.column] ?? line[h.fixLines!.field],
        }));
        body.patch = { [this.s.lines.path]: lines };
      }
      if (h.event) body.event = h.event;
      answer = await this.api('POST', `/api/tasks/${taskId}/resolve`, body, person.key);
      this.taken.delete(`task:${taskId}`);
    } else if ('system' in h) {
      answer = await this.inSystem(h.system, this.refs.get(orderId) ?? orderId, t);
      this.taken.delete(`order:${orderId}`);
    } else {
      answer = await this.api(
        'POST',
        `/api/orders/${orderId}/events`,
        { type: h.event },
        person.key,
      );
      this.taken.delete(`order:${orderId}`);
      if (answer.status === 422 && 'state' in h) this.refusedIn.set(orderId, h.state);
    }
    if (answer.status >= 300) {
      const what =
        'task' in h
          ? `task ${h.task.queue}`
          : 'system' in h
            ? `${h.state} → ${h.system.name} ${h.system.path}`
            : `${h.state} → ${h.event}`;
      this.failedActions.set(what, (this.failedActions.get(what) ?? 0) + 1);
    }
  }

  /** What a person does in another system, which tells Ordo itself (a webhook) or is polled. */
  private async inSystem(action: SystemAction, ref: string, t: number): Promise<Answer> {
    const fill = (v: unknown) =>
      v === '{at}' ? Math.floor(t / 1000) : typeof v === 'string' ? v.replaceAll('{ref}', ref) : v;
    const body = Object.fromEntries(
      Object.entries(action.body ?? {}).map(([k, v]) => [k, fill(v)]),
    );
    const response = await fetch(
      `${this.urls[action.name as SystemName]}${fill(action.path) as string}`,
      {
        method: action.method ?? 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      },
    );
    const text = await response.text();
    // A system that relays to Ordo answers Ordo's status inside its own answer.
    const relayed = text ? (JSON.parse(text) as { status?: unknown }) : undefined;
    const status =
      response.ok && typeof relayed?.status === 'number' ? relayed.status : response.status;
    return { status, body: relayed };
  }

  /** How much work waits, per handling (open tasks, orders in the state). */
  async sampleQueues(): Promise<void> {
    const seen = new Set<string>();
    for (const people of Object.values(this.s.people))
      for (const h of people.handles) {
        const name = 'task' in h ? `queue ${h.task.queue}` : `state ${h.state}`;
        if (seen.has(name)) continue;
        seen.add(name);
        const waiting = (await this.candidates(h, true)).length;
        const samples = this.queueSamples.get(name) ?? [];
        samples.push(waiting);
        this.queueSamples.set(name, samples);
      }
  }
}
