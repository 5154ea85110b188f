import { validateFlow } from '@ordo/engine';
import { standardOrderFlow } from '@ordo/engine/testing';
import { applyEdit, blankFlow, EditHistory, elementOf } from '../src/model/flow-edits';
import { autoLayout, flowToGraph, labelIn, withLabelIn } from '../src/model/flow-graph';
import { summarizeGuard } from '../src/model/guard-summary';
import { loadRule, saveRule } from '../src/model/rule-model';
import { ruleFields } from '../src/model/rule-fields';
import { addField, fieldsAt, moveField, removeField, updateField } from '../src/model/field-edits';

describe('flow ↔ graph', () => {
  it('makes a node per state and an edge per transition source, labelled with event or auto and the guard', () => {
    const { nodes, edges } = flowToGraph(standardOrderFlow);
    expect(nodes.map((n) => n.id)).toEqual(standardOrderFlow.states.map((s) => s.id));
    expect(nodes[0].data).toMatchObject({ label: 'New', initial: true, final: false });
    expect(nodes.find((n) => n.id === 'stock_locked')?.data.sla).toBe('PT4H');
    const cancel = edges.filter((e) => e.data.transition === 'cancel');
    expect(cancel.map((e) => e.source)).toEqual(['new', 'customer_confirmed', 'finance_reviewed']);
    const review = edges.find((e) => e.data.transition === 'review')!;
    expect(review.label).toBe('review ◆');
    expect(review.data.guard).toBe('$event.approved = true');
    const lock = edges.find((e) => e.data.transition === 'lock')!;
    expect(lock.label).toBe('auto ◆');
    expect(lock.data.guard).toMatch(/^finance\.approved = true and stock\.available ≥ reduce/);
  });

  it('lays out states in layers from the initial state, and keeps saved positions', () => {
    const positions = autoLayout(standardOrderFlow);
    expect(positions.new.x).toBeLessThan(positions.customer_confirmed.x);
    const moved = applyEdit(standardOrderFlow, {
      kind: 'move-state',
      id: 'new',
      position: { x: 5, y: 6 },
    });
    expect(flowToGraph(moved).nodes[0].position).toEqual({ x: 5, y: 6 });
  });

  it('reads labels per locale', () => {
    expect(labelIn({ en: 'Done', 'zh-CN': '完成' }, 'zh-CN', 'x')).toBe('完成');
    expect(labelIn({ en: 'Done' }, 'zh-CN', 'x')).toBe('Done');
  });

  it('edits a label in one language, keeping the others', () => {
    const done = { en: 'Done', 'zh-CN': '完成' };
    expect(withLabelIn(done, 'zh-CN', '已完成')).toEqual({ en: 'Done', 'zh-CN': '已完成' });
    expect(withLabelIn(done, 'en', 'Finished')).toEqual({ en: 'Finished', 'zh-CN': '完成' });
    expect(done).toEqual({ en: 'Done', 'zh-CN': '完成' });
    expect(withLabelIn('Done', 'zh-CN', '完成')).toBe('完成');
    expect(withLabelIn(undefined, 'en', 'New')).toBe('New');
    // A new flow's states are named in both languages.
    const blank = blankFlow('f', 'F');
    expect(blank.states.map((s) => labelIn(s.label, 'zh-CN', s.id))).toEqual(['新建', '完成']);
    expect(blank.states.map((s) => labelIn(s.label, 'en', s.id))).toEqual(['New', 'Done']);
    expect(labelIn(undefined, 'en', 'x')).toBe('x');
  });
});

describe('edits', () => {
  it('adds, connects and removes states and transitions without touching the input', () => {
    const flow = Object.freeze(blankFlow('f', 'F'));
    let next = applyEdit(flow, { kind: 'add-state', id: 'review', position: { x: 1, y: 2 } });
    next = applyEdit(next, { kind: 'connect', from: 'new', to: 'review', event: 'submit' });
    next = applyEdit(next, { kind: 'connect', from: 'review', to: 'done', event: 'approve' });
    expect(validateFlow(next).ok).toBe(true);
    expect(next.transitions.map((t) => t.id)).toEqual(['finish', 'submit', 'approve']);
    const removed = applyEdit(next, { kind: 'remove-state', id: 'review' });
    expect(removed.transitions.map((t) => t.id)).toEqual(['finish']);
    expect(removed.layout?.states?.review).toBeUndefined();
    expect(flow.states).toHaveLength(2);
    expect(
      applyEdit(next, { kind: 'add-state', id: 'review', position: { x: 0, y: 0 } }).states.at(-1)
        ?.id,
    ).toBe('review_2');
  });

  it('undoes and redoes', () => {
    const history = new EditHistory(blankFlow('f', 'F'));
    history.apply({ kind: 'add-state', id: 'a', position: { x: 0, y: 0 } });
    history.apply({ kind: 'remove-transition', id: 'finish' });
    expect(history.undo().transitions).toHaveLength(1);
    expect(history.undo().states).toHaveLength(2);
    expect(history.redo().states).toHaveLength(3);
  });

  it('maps a problem pointer to the element on the canvas', () => {
    expect(elementOf(standardOrderFlow, '/transitions/2/guard/and/0')).toEqual({
      kind: 'transition',
      id: 'lock',
    });
    expect(elementOf(standardOrderFlow, '/states/1')).toEqual({
      kind: 'state',
      id: 'customer_confirmed',
    });
    expect(elementOf(standardOrderFlow, '/fields/0')).toBeUndefined();
  });
});

describe('summarizeGuard', () => {
  it('reads like a sentence', () => {
    expect(
      summarizeGuard({
        and: [{ '==': [{ var: 'finance.approved' }, true] }, { '>': [{ var: 'total' }, 1000] }],
      }),
    ).toBe('finance.approved = true and total > 1000');
    expect(summarizeGuard({ all: [{ var: 'lines' }, { '>=': [{ var: 'qty' }, 1] }] })).toBe(
      'all of lines: qty ≥ 1',
    );
    expect(summarizeGuard({ '!': { var: 'rush' } })).toBe('not rush');
  });
});

describe('ruleFields', () => {
  it('offers scalar paths with operators by type, money parts and the context', () => {
    const fields = ruleFields(standardOrderFlow);
    const byName = new Map(fields.map((f) => [f.name, f]));
    expect(byName.get('customer.id')?.operators.map((o) => o.name)).toContain('contains');
    expect(byName.get('customer.tier')).toMatchObject({
      valueEditorType: 'select',
      values: [expect.objectContaining({ name: 'A' }), expect.anything(), expect.anything()],
    });
    expect(byName.get('total.amount')).toMatchObject({ inputType: 'number' });
    expect(byName.get('finance.approved')).toMatchObject({ valueEditorType: 'checkbox' });
    expect(byName.has('$actor.roles')).toBe(true);
  });

  it('offers lists as all/some/none of their items, round-tripping json-logic', () => {
    const fields = ruleFields(standardOrderFlow);
    const lines = fields.find((f) => f.name === 'lines')!;
    expect(lines.matchModes).toEqual(['all', 'some', 'none']);
    expect(lines.subproperties!.map((f) => f.name)).toEqual(['sku', 'qty', 'bin']);
    const guard = { some: [{ var: 'lines' }, { '>': [{ var: 'qty' }, 100] }] };
    const model = loadRule(guard);
    expect(model.children[0]).toMatchObject({ kind: 'quantifier', list: 'lines', mode: 'some' });
    expect(saveRule(model)).toEqual(guard);
    // The engine reads the item's fields in the item's scope: the lint accepts it.
    const doc = JSON.parse(JSON.stringify(standardOrderFlow));
    doc.transitions[0].guard = guard;
    expect(validateFlow(doc).problems).toEqual([]);
  });
});

describe('field edits', () => {
  it('adds, types, orders, nests and removes fields, keeping the flow valid', () => {
    let flow = blankFlow('f', 'F');
    flow = addField(flow, [], 'customer', 'object');
    flow = addField(flow, [0], 'id', 'string');
    flow = addField(flow, [], 'lines', 'array');
    flow = addField(flow, [1], 'qty', 'integer');
    flow = updateField(flow, [1], 0, { required: true, min: 1 });
    flow = addField(flow, [], 'tier', 'enum');
    expect(fieldsAt(flow, [1])).toEqual([{ key: 'qty', type: 'integer', required: true, min: 1 }]);
    expect(flow.fields.map((f) => f.key)).toEqual(['customer', 'lines', 'tier']);
    flow = moveField(flow, [], 2, -1);
    expect(flow.fields.map((f) => f.key)).toEqual(['customer', 'tier', 'lines']);
    expect(moveField(flow, [], 0, -1)).toEqual(flow);
    expect(validateFlow(flow).ok).toBe(true);
    // An emptied constraint or an unticked box removes the attribute, not sets it undefined.
    const loosened = updateField(flow, [2], 0, { required: undefined, min: undefined, max: 9 });
    expect(fieldsAt(loosened, [2])[0]).toStrictEqual({ key: 'qty', type: 'integer', max: 9 });
    expect(removeField(flow, [0], 0).fields[0]).toEqual({
      key: 'customer',
      type: 'object',
      fields: [],
    });
  });
});
