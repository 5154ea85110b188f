import type { Field, Flow } from '@ordo/engine';
import { validateFlow } from '@ordo/engine';
import { standardOrderFlow } from '@ordo/engine/testing';
import { updateField } from '../src/model/field-edits';
import {
  formAccess,
  ownershipOf,
  ownershipPatch,
  parseRoles,
  systemOnlyPatch,
} from '../src/model/ownership';

const fields: Field[] = [
  { key: 'note', type: 'string' },
  {
    key: 'finance',
    type: 'object',
    writableBy: ['finance'],
    fields: [{ key: 'approved', type: 'boolean' }],
  },
  { key: 'payment', type: 'object', fields: [{ key: 'status', type: 'string', source: 'system' }] },
  {
    key: 'lines',
    type: 'array',
    items: [{ key: 'bin', type: 'string', writableBy: ['warehouse'] }],
  },
];

describe('field ownership in the inspector', () => {
  it('reads and switches a field between anyone, roles and system-only', () => {
    expect(fields.map(ownershipOf)).toEqual(['anyone', 'roles', 'anyone', 'anyone']);
    expect(ownershipOf({ source: 'system' })).toBe('system');
    expect(ownershipPatch({ writableBy: ['finance'] }, 'system')).toEqual({
      source: 'system',
      writableBy: undefined,
    });
    expect(ownershipPatch({}, 'roles', parseRoles(' Finance, warehouse,,finance '))).toEqual({
      source: undefined,
      writableBy: ['finance', 'warehouse'],
    });
    expect(ownershipPatch({ writableBy: ['x'] }, 'anyone')).toEqual({
      source: undefined,
      writableBy: undefined,
    });
  });

  it('edits give a document the lint accepts (no source and writableBy together)', () => {
    let doc: Flow = {
      ...standardOrderFlow,
      fields: [
        ...standardOrderFlow.fields,
        { key: 'paid', type: 'boolean', writableBy: ['finance'] },
      ],
    };
    const i = doc.fields.length - 1;
    doc = updateField(doc, [], i, ownershipPatch(doc.fields[i], 'system'));
    expect(doc.fields[i]).toEqual({ key: 'paid', type: 'boolean', source: 'system' });
    expect(validateFlow(doc).problems.filter((p) => p.code === 'ownership_conflict')).toEqual([]);
  });

  it('reserves a transition to the system, dropping its roles', () => {
    expect(systemOnlyPatch(true)).toEqual({ source: 'system', roles: undefined });
    expect(systemOnlyPatch(false)).toEqual({ source: undefined });
  });
});

describe('the order form for the signed-in person', () => {
  it('disables what they may not write and says who may', () => {
    const operator = formAccess(fields, { id: 'op', roles: ['operator'] });
    expect(operator('note')).toEqual({ writable: true });
    expect(operator('finance.approved')).toEqual({ writable: false, who: { roles: ['finance'] } });
    expect(operator('payment.status')).toEqual({ writable: false, who: { system: true } });
    expect(operator('lines.2.bin')).toEqual({ writable: false, who: { roles: ['warehouse'] } });
    const finance = formAccess(fields, { id: 'fi', roles: ['operator', 'finance'] });
    expect(finance('finance.approved')).toEqual({ writable: true });
    const admin = formAccess(fields, { id: 'root', roles: ['admin'] });
    expect(admin('lines.0.bin').writable).toBe(true);
    expect(admin('payment.status').writable).toBe(false);
  });
});
