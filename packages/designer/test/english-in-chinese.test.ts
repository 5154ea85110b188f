import { englishIn } from './support/english-in-chinese';

describe('English on a Chinese page', () => {
  it('finds English words', () => {
    expect(englishIn('+ Rule')).toBe('Rule');
    expect(englishIn('AND')).toBe('AND');
    expect(englishIn('已发布 Published')).toBe('Published');
    expect(englishIn('no step to take')).toBe('no step to take');
  });

  it('lets ids, codes, numbers, units, JSON and the allowed names through', () => {
    for (const text of [
      '流程',
      'stock_locked',
      'order-status-sync',
      'PO-1001',
      '$event.available',
      '{"var": "qty"}',
      '12 ms',
      '3.5 MB',
      '2026-12-04 10:00',
      'v1',
      '导入 CSV / Excel',
      'JSON',
      '守卫条件（json-logic）',
      'Ordo',
      'admin',
      'http://127.0.0.1:3000/api',
      '≥',
      'P1D',
    ])
      expect([text, englishIn(text)]).toEqual([text, '']);
  });
});
