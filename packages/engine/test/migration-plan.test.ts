import { planMigration, type Flow } from '../src';
import { standardOrderFlow } from '../src/testing';

const v1 = standardOrderFlow;
const v2: Flow = {
  ...v1,
  version: 2,
  states: v1.states.filter((s) => s.id !== 'logistics_booked').concat({ id: 'carrier_booked' }),
  fields: [
    ...v1.fields,
    { key: 'region', type: 'string', required: true },
    { key: 'note', type: 'string', required: true, default: '' },
  ],
};

describe('planMigration', () => {
  it('maps states with the same id and reports the ones it cannot map', () => {
    const plan = planMigration(v1, v2);
    expect(plan.ok).toBe(false);
    expect(plan.moves).toContainEqual({ from: 'stock_locked', to: 'stock_locked', how: 'same-id' });
    expect(plan.problems).toContainEqual(
      expect.objectContaining({ path: '/states/4', code: 'unmapped_state', severity: 'error' }),
    );
  });

  it('uses an explicit state map, and refuses a map to a state that does not exist', () => {
    const plan = planMigration(v1, v2, { stateMap: { logistics_booked: 'carrier_booked' } });
    expect(plan.ok).toBe(true);
    expect(plan.moves).toContainEqual({
      from: 'logistics_booked',
      to: 'carrier_booked',
      how: 'mapped',
    });
    const bad = planMigration(v1, v2, { stateMap: { logistics_booked: 'nowhere' } });
    expect(bad.problems).toContainEqual(
      expect.objectContaining({ code: 'unknown_target_state', path: '/states/4' }),
    );
  });

  it('warns about new required fields without a default, and only those', () => {
    const plan = planMigration(v1, v2, { stateMap: { logistics_booked: 'carrier_booked' } });
    const warnings = plan.problems.filter((p) => p.severity === 'warning');
    expect(warnings).toEqual([
      expect.objectContaining({ code: 'new_required_field', path: `/fields/${v1.fields.length}` }),
    ]);
  });
});
