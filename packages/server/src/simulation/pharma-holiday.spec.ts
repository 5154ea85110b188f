import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_TEMPLATES_DIR } from '../config/ordo-config';
import { planOrders, type Row } from './order-maker';
import { readScenario } from './scenario-file';
import { ScenarioCalendar } from './sim-calendar';
import { onShift } from './sim-people';

/** The pharma template's National Day from its depot calendar (BRIEF.md case 3). */
const dir = path.join(DEFAULT_TEMPLATES_DIR, 'pharma-distribution');
/** A data set file of the template as rows (these files quote nothing). */
const csv = (file: string): Row[] => {
  const [head, ...lines] = readFileSync(path.join(dir, 'datasets', file), 'utf8')
    .trim()
    .split('\n');
  const columns = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [columns[i], v])));
};

describe("the pharma scenario's holiday (National Day, one person on duty)", () => {
  const load = async () => {
    const { scenario } = await readScenario(path.join(dir, 'scenario.json'));
    // From the two working days before National Day to the two after it.
    scenario.start = '2026-09-29';
    const rows = new Map(csv('depot-calendar.csv').map((r) => [String(r.day), r]));
    return { s: scenario, calendar: new ScenarioCalendar(scenario, rows, 11) };
  };

  it("brings about the brief's 4,216 orders in the holiday's peak", async () => {
    const { s, calendar } = await load();
    expect([...calendar.peakDays].sort((a, b) => a - b).map((d) => calendar.dateOf(d))).toEqual([
      '2026-09-29',
      '2026-09-30',
      ...[1, 2, 3, 4, 5, 6, 7].map((n) => `2026-10-0${n}`),
      '2026-10-08',
      '2026-10-09',
    ]);
    const clinics = csv('clinics.csv');
    for (const seed of [1, 2]) {
      const orders = planOrders(s, seed, 11, (key) => (key === 'clinics' ? clinics : []), calendar);
      // The brief's figure within 3% (the days' orders are drawn, not fixed).
      expect(Math.abs(orders.length - 4216) / 4216).toBeLessThan(0.03);
    }
  });

  it('keeps one pharmacist on duty for the special approvals; everyone else is off', async () => {
    const { s, calendar } = await load();
    const at = Date.parse('2026-10-03T10:00:00+08:00');
    const on = (role: string, n = 1) => onShift(s, { role, n }, at, calendar);
    expect(on('pharmacist')).toBe(true);
    expect(on('dispatcher')).toBe(false);
    expect(on('finance')).toBe(false);
    // The clinics still order (holidayFactor), but their accounts offices are closed: their
    // payments wait for the working days after.
    expect(on('clinic')).toBe(false);
  });
});
