import type { Flow } from '@ordo/engine';
import {
  assignmentRows,
  blankAction,
  flowEvents,
  kindOf,
  moveItem,
  rowsToAssignments,
  rowValue,
} from '../src/model/action-edits';

const flow = {
  schemaVersion: 1,
  key: 'f',
  name: 'F',
  fields: [],
  connectors: { wms: { type: 'http', settings: {} } },
  queues: { desk: { roles: ['ops'] } },
  states: [{ id: 'a', initial: true }, { id: 'b' }],
  transitions: [
    { id: 't1', from: 'a', to: 'b', event: 'go' },
    { id: 't2', from: 'b', to: 'a', event: 'back' },
    { id: 't3', from: 'a', to: 'b', auto: true },
  ],
} as unknown as Flow;

describe('action edits', () => {
  it('makes new actions from what the flow has', () => {
    expect(blankAction('call', flow)).toEqual({ call: { connector: 'wms', action: '' } });
    expect(blankAction('task', flow)).toEqual({ task: { queue: 'desk', title: '' } });
    expect(kindOf(blankAction('notify', flow))).toBe('notify');
    expect(kindOf({ emit: { event: 'x' } })).toBe('emit');
  });

  it('turns typed rows into an assignment and back', () => {
    expect(rowValue('12')).toBe(12);
    expect(rowValue('{"var": "customer.id"}')).toEqual({ var: 'customer.id' });
    expect(rowValue('WO-2026')).toBe('WO-2026');
    const rows = [
      { path: 'sku', value: '{"var":"lines.0.sku"}' },
      { path: ' qty ', value: '3' },
      { path: '', value: 'ignored' },
      { path: 'note', value: 'rush' },
    ];
    const assignments = rowsToAssignments(rows);
    expect(assignments).toEqual({ sku: { var: 'lines.0.sku' }, qty: 3, note: 'rush' });
    expect(rowsToAssignments(assignmentRows(assignments))).toEqual(assignments);
    // Text shows as typed unless it would read back as something else.
    expect(assignmentRows({ a: '/reservations', b: '12', c: 'true' })).toEqual([
      { path: 'a', value: '/reservations' },
      { path: 'b', value: '"12"' },
      { path: 'c', value: '"true"' },
    ]);
  });

  it('moves items within bounds and lists the flow events', () => {
    expect(moveItem(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveItem(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
    expect(moveItem(['a', 'b', 'c'], 1, -5)).toEqual(['b', 'a', 'c']);
    expect(flowEvents(flow)).toEqual(['back', 'go']);
  });
});
