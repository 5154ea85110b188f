import { type SimResult, whatIfRows } from '../src/components/what-if-rows';

const result = (created: number, median: number | null, busy: number): SimResult => ({
  table: [{ id: 'wrong', label: 'Wrong lines', unit: '%', before: 3.1, after: created / 100 }],
  measures: [{ id: 'pick_pack', count: 3, p50Hours: median }],
  counters: [{ id: 'rush', count: created }],
  people: { warehouse: { utilisationPercent: busy } },
  orders: { created, shipped: 10 },
});

describe('what-if rows', () => {
  it('puts each figure of both results side by side with the draft minus the published', () => {
    const rows = whatIfRows(result(250, 1.5, 40.25), result(200, null, 40));
    const by = Object.fromEntries(rows.map((r) => [r.key, r]));
    expect(by['table:wrong']).toMatchObject({
      before: 3.1,
      draft: 2.5,
      published: 2,
      difference: 0.5,
    });
    expect(by['orders:created'].difference).toBe(50);
    expect(by['orders:shipped'].difference).toBe(0);
    // A figure one side lacks has no difference.
    expect(by['measure:pick_pack']).toMatchObject({
      draft: 1.5,
      published: null,
      difference: null,
    });
    expect(by['counter:rush'].difference).toBe(50);
    expect(by['utilisation:warehouse']).toMatchObject({ unit: '%', difference: 0.25 });
  });
});
