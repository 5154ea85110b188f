import { FakeSystem, type Knobs } from '../fake-system';

/** One SKU's primary bin as the WMS master keeps it. */
export interface MasterBin {
  sku: string;
  bin: string;
  zone: string;
}

const initialBins = (): MasterBin[] => [
  { sku: 'SKU-1001', bin: 'A-01-01', zone: 'ambient' },
  { sku: 'SKU-1002', bin: 'A-01-02', zone: 'ambient' },
  { sku: 'SKU-2001', bin: 'C-02-01', zone: 'chilled' },
];

/**
 * The WMS's bin master, the system of record of SKU → primary bin: `GET /master/bins` answers
 * `{ data: { bins: [...] }, revision }`. `POST /master/bins` replaces the master (a re-slotting;
 * a test may send rows the WMS would never hold, to check that a bad answer writes nothing).
 */
export const createBinMaster = (knobs?: Partial<Knobs>) =>
  new FakeSystem(
    'bin-master',
    () => ({ bins: initialBins(), revision: 1, reads: 0 }),
    [
      {
        method: 'GET',
        path: '/master/bins',
        handle: (_request, state) => {
          state.reads++;
          return { json: { data: { bins: state.bins }, revision: state.revision } };
        },
      },
      {
        method: 'POST',
        path: '/master/bins',
        handle: ({ body }, state) => {
          if (!Array.isArray(body.bins)) return { status: 422, json: { error: 'bins: a list' } };
          state.bins = body.bins as MasterBin[];
          state.revision++;
          return { json: { revision: state.revision, reads: state.reads } };
        },
      },
      {
        method: 'GET',
        path: '/master/reads',
        handle: (_request, state) => ({ json: { reads: state.reads } }),
      },
    ],
    knobs,
  );
