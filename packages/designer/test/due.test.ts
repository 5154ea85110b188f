import { dueClass } from '../src/model/due';

describe('dueClass', () => {
  const now = Date.parse('2026-11-29T10:00:00Z');
  it('colours a due time by how close it is', () => {
    expect(dueClass(null, now)).toBe('');
    expect(dueClass('2026-11-29T09:59:00Z', now)).toBe('due overdue');
    expect(dueClass('2026-11-29T10:30:00Z', now)).toBe('due soon');
    expect(dueClass('2026-11-29T12:00:00Z', now)).toBe('due');
  });
});
