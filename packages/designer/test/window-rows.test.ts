import { windowRows } from '../src/model/window-rows';

describe('windowRows', () => {
  it('draws the rows in view and a margin, and pads the rest', () => {
    expect(windowRows(100_000, 40, 0, 400)).toEqual({
      first: 0,
      last: 20,
      before: 0,
      after: 99_980 * 40,
    });
    expect(windowRows(100_000, 40, 40_000, 400)).toEqual({
      first: 990,
      last: 1020,
      before: 990 * 40,
      after: (100_000 - 1020) * 40,
    });
    expect(windowRows(5, 40, 0, 400)).toEqual({ first: 0, last: 5, before: 0, after: 0 });
  });
});
