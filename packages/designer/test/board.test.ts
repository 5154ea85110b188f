import type { Flow } from '@ordo/engine';
import { boardColumns, boardRoute, dataText } from '../src/model/board';

const flow = {
  states: [
    { id: 'issued', initial: true, label: { en: 'Issued', 'zh-CN': '已下达' } },
    { id: 'cutting' },
    { id: 'done', final: true, label: 'Done' },
  ],
} as unknown as Flow;

describe('board model', () => {
  it('reads the route: flow, states in order, language', () => {
    expect(boardRoute('/board/work-orders')).toEqual({ flow: 'work-orders', states: [] });
    expect(boardRoute('/board/work-orders?states=done, cutting&lang=zh-CN')).toEqual({
      flow: 'work-orders',
      states: ['done', 'cutting'],
      lang: 'zh-CN',
    });
    expect(boardRoute('/boards/x')).toBeUndefined();
    expect(boardRoute('/board/../x')).toBeUndefined();
  });

  it('makes a column per asked state the flow has, labelled in the language', () => {
    expect(boardColumns(flow, [], 'zh-CN')).toEqual([
      { state: 'issued', label: '已下达', final: false },
      { state: 'cutting', label: 'cutting', final: false },
      { state: 'done', label: 'Done', final: true },
    ]);
    expect(boardColumns(flow, ['done', 'nope', 'issued'], 'en').map((c) => c.label)).toEqual([
      'Done',
      'Issued',
    ]);
  });

  it('shows a dot path of the data, never the prototype', () => {
    expect(dataText({ customer: { name: 'Dali' } }, 'customer.name')).toBe('Dali');
    expect(dataText({ qty: 0 }, 'qty')).toBe('0');
    expect(dataText({}, 'constructor.name')).toBe('');
    expect(dataText({ a: 1 }, undefined)).toBe('');
  });
});
