import { FakeSystem, type Knobs } from '../fake-system';

/** One SKU's primary bin as the WMS master keeps it (its own field names: `bin`, not Ordo's). */
export interface MasterBin {
  sku: string;
  bin: string;
  zone: string;
  description?: string;
}

/** The FMCG distributor's slotting: the same SKUs and bins as the template's sample data set. */
export const FMCG_BINS: readonly MasterBin[] = [
  ['SKU-CHIPS-70', 'P-01', 'ambient', 'Potato chips 70 g'],
  ['SKU-COLA-330', 'P-01', 'ambient', 'Cola 330 ml can'],
  ['SKU-JUICE-1L', 'P-02', 'ambient', 'Orange juice 1 l'],
  ['SKU-MILK-1L', 'P-01', 'chilled', 'UHT milk 1 l'],
  ['SKU-NOODLE-5', 'P-03', 'ambient', 'Instant noodles ×5'],
  ['SKU-OIL-1L', 'P-01', 'ambient', 'Sunflower oil 1 l'],
  ['SKU-RICE-5KG', 'P-01', 'ambient', 'Rice 5 kg'],
  ['SKU-SOAP-3', 'P-04', 'household', 'Soap bar ×3'],
  ['SKU-TEA-500', 'P-01', 'ambient', 'Green tea 500 ml'],
  ['SKU-TISSUE-10', 'P-04', 'household', 'Tissues ×10'],
  ['SKU-WATER-550', 'P-01', 'ambient', 'Mineral water 550 ml'],
  ['SKU-YOGURT-4', 'C-01', 'chilled', 'Yogurt ×4'],
].map(([sku, bin, zone, description]) => ({ sku, bin, zone, description }));

/**
 * The WMS's bin master (by default the FMCG template's slotting), the system of record of SKU → primary bin: `GET /master/bins` answers
 * `{ data: { bins: [...] }, revision }`. `POST /master/bins` replaces the master (a re-slotting;
 * a test may send rows the WMS would never hold, to check that a bad answer writes nothing).
 */
export const createBinMaster = (knobs?: Partial<Knobs>, bins: readonly MasterBin[] = FMCG_BINS) =>
  new FakeSystem(
    'bin-master',
    () => ({ bins: structuredClone(bins) as MasterBin[], revision: 1, reads: 0 }),
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
