import { compileFlow, compileJourney, dataAlong, type Flow, type HistoryEntry } from '../src';
import { memoryDataSets, testContext } from '../src/testing';

/** A flow whose auto transition needs a data set row, and a counter judged on the data. */
const doc: Flow = {
  schemaVersion: 1,
  key: 'bins',
  name: 'Bins',
  fields: [
    { key: 'sku', type: 'string', required: true },
    { key: 'rush', type: 'boolean' },
  ],
  states: [{ id: 'new', initial: true }, { id: 'approved' }, { id: 'shipped', final: true }],
  transitions: [
    { id: 'auto_ok', from: 'new', to: 'approved', auto: true },
    { id: 'ship', from: 'approved', to: 'shipped', event: 'ship' },
  ],
  rules: [
    {
      id: 'known_sku',
      message: 'unknown SKU',
      on: ['transition'],
      transitions: ['auto_ok'],
      logic: { lookup: ['skus', { var: 'sku' }] },
    },
  ],
  counters: [{ id: 'rush', state: 'new', when: { '==': [{ var: 'rush' }, true] } }],
};
const sets = memoryDataSets({ skus: { version: 1, rows: { A: { sku: 'A' } } } });

describe('journey of a flow that reads data sets', () => {
  const flow = compileFlow(doc);
  const ctx = testContext({ dataSets: sets });
  const created = flow.create({ sku: 'A', rush: true }, { ...ctx, id: 'o1' });
  if (!created.ok) throw new Error(created.error.message);
  const shipped = flow.fire(created.order, { type: 'ship' }, ctx);
  if (!shipped.ok) throw new Error(shipped.error.message);
  const history: HistoryEntry[] = [...created.history, ...shipped.history];
  const journey = compileJourney(doc);

  it('replays the data with the data sets each step read, so an early condition counts', () => {
    const j = journey(
      history,
      dataAlong(flow, history, 'o1', shipped.order.data, () => sets),
    );
    expect(j.counters).toEqual([{ id: 'rush', at: history[0].at }]);
  });

  it('without them the replay is refused and only the last step is known', () => {
    const j = journey(history, dataAlong(flow, history, 'o1', shipped.order.data));
    expect(j.counters).toEqual([]);
  });
});
