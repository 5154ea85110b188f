import type { Flow } from '@ordo/engine';
import { standardOrderFlow } from '@ordo/engine/testing';
import { diffFlows } from '../src/model/flow-diff';

const clone = (): Flow => JSON.parse(JSON.stringify(standardOrderFlow));

describe('diffFlows', () => {
  it('sees no change in a copy, nor in key order, layout or the version number', () => {
    const after = clone();
    after.layout = { states: { new: { x: 1, y: 2 } } };
    after.version = 7;
    after.states[0] = Object.fromEntries(Object.entries(after.states[0]).reverse()) as never;
    expect(diffFlows(standardOrderFlow, after)).toMatchObject({ same: true, properties: [] });
  });

  it('names what was added, removed and changed in each section', () => {
    const after = clone();
    after.states.push({ id: 'on_hold', label: 'On hold' });
    after.transitions = after.transitions.filter((t) => t.id !== 'deliver');
    after.transitions[0].roles = ['sales', 'service'];
    after.fields.push({ key: 'priority', type: 'integer' });
    after.rules = [];
    after.connectors = { crm: { type: 'http' } };
    after.name = 'Standard order v2';
    const diff = diffFlows(standardOrderFlow, after);
    expect(diff.same).toBe(false);
    expect(diff.sections.states).toEqual({ added: ['on_hold'], removed: [], changed: [] });
    expect(diff.sections.transitions).toEqual({
      added: [],
      removed: ['deliver'],
      changed: ['confirm'],
    });
    expect(diff.sections.fields.added).toEqual(['priority']);
    expect(diff.sections.rules.removed).toEqual((standardOrderFlow.rules ?? []).map((r) => r.id));
    expect(diff.sections.connectors.added).toEqual(['crm']);
    expect(diff.properties).toEqual(['name']);
  });

  it('sees a changed guard or nested field as a change of its element', () => {
    const after = clone();
    (after.transitions[1].guard as Record<string, unknown>) = { '==': [1, 1] };
    (after.fields[0] as { fields: { key: string; required?: boolean }[] }).fields[0].required =
      false;
    const diff = diffFlows(standardOrderFlow, after);
    expect(diff.sections.transitions.changed).toEqual(['review']);
    expect(diff.sections.fields.changed).toEqual(['customer']);
  });
});
