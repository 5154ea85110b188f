import {
  compileFlow,
  type EngineResult,
  type Flow,
  type HistoryEntry,
  replayHistory,
} from '../src';
import { standardOrderFlow } from '../src/testing';

const flow = compileFlow(standardOrderFlow);
const at = (minute: number) => `2026-03-01T08:${String(minute).padStart(2, '0')}:00.000Z`;
const actor = (id: string, ...roles: string[]) => ({ id, roles });

function ok(result: EngineResult) {
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result;
}

/** A real life: created, confirmed, a data update, reviewed (→ auto lock), booked. */
function recorded(): { history: HistoryEntry[]; final: ReturnType<typeof ok>['order'] } {
  const created = ok(
    flow.create(
      { customer: { id: 'C1' }, lines: [{ sku: 'SKU-1', qty: 3 }], stock: { available: 10 } },
      { now: at(0), actor: actor('s1', 'sales'), id: 'o-1' },
    ),
  );
  const confirmed = ok(
    flow.fire(created.order, { type: 'confirm' }, { now: at(1), actor: actor('s1', 'sales') }),
  );
  const updated = ok(
    flow.update(confirmed.order, { carrier: 'SF' }, { now: at(2), actor: actor('s1', 'sales') }),
  );
  const reviewed = ok(
    flow.fire(
      updated.order,
      { type: 'review', payload: { approved: true } },
      { now: at(3), actor: actor('f1', 'finance') },
    ),
  );
  const booked = ok(
    flow.fire(
      reviewed.order,
      { type: 'book', payload: { carrier: 'JD' } },
      { now: at(4), actor: actor('w1', 'warehouse') },
    ),
  );
  const history = [created, confirmed, updated, reviewed, booked].flatMap((r) => r.history);
  return { history, final: booked.order };
}

const variant = (change: (doc: Flow) => void) => {
  const doc: Flow = JSON.parse(JSON.stringify(standardOrderFlow));
  change(doc);
  return compileFlow(doc);
};

describe('replayHistory', () => {
  it('reproduces the order exactly on the flow it ran on (auto transitions recomputed)', () => {
    const { history, final } = recorded();
    expect(history.some((h) => h.kind === 'transition' && !h.event)).toBe(true);
    expect(replayHistory(flow, history, 'o-1')).toEqual({ ok: true, order: final });
  });

  it('names the recorded step a draft refuses, with the engine’s reason', () => {
    const { history } = recorded();
    const strict = variant((doc) => {
      doc.transitions.find((t) => t.id === 'review')!.roles = ['cfo'];
    });
    const outcome = replayHistory(strict, history, 'o-1');
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.refused.entry).toMatchObject({ kind: 'transition', event: 'review' });
    expect(outcome.refused.error.code).toBe('forbidden');
  });

  it('shows where a changed auto transition leaves the order', () => {
    const { history } = recorded();
    // Stock must now cover twice the quantity: the order never reaches stock_locked, so the
    // recorded booking is refused.
    const cautious = variant((doc) => {
      const lock = doc.transitions.find((t) => t.id === 'lock')!;
      lock.guard = { '>=': [{ var: 'stock.available' }, 100] };
    });
    const outcome = replayHistory(cautious, history, 'o-1');
    expect(outcome).toMatchObject({
      ok: false,
      refused: { entry: { event: 'book' }, error: { code: 'no_transition' } },
    });
  });

  it('names the first step after which a draft leaves the order elsewhere', () => {
    const { history } = recorded();
    // Booking now ends the order at once (straight to done): the recorded booking parts there.
    const eager = variant((doc) => {
      doc.transitions.find((t) => t.id === 'book')!.to = 'done';
    });
    const outcome = replayHistory(eager, history, 'o-1');
    expect(outcome).toMatchObject({
      ok: true,
      order: { state: 'done' },
      parted: { entry: { event: 'book' }, recorded: 'logistics_booked', replayed: 'done' },
    });
    // The unchanged flow never parts.
    expect(replayHistory(flow, history, 'o-1')).not.toHaveProperty('parted');
  });

  it('refuses a history without a creation', () => {
    const { history } = recorded();
    expect(replayHistory(flow, history.slice(1), 'o-1')).toMatchObject({ ok: false });
  });
});
