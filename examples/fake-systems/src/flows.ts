/**
 * Ordo flows that use the fake systems, shared by the crash tests, the benchmarks and demos.
 * `reservationFlow`: a new order reserves its lines in the WMS on entry; the answer is written
 * at `reservation` and fires `reserved`.
 */
export function reservationFlow(
  wmsUrl: string,
  key = 'reservation',
  retry: { attempts?: number; backoff?: string; maxBackoff?: string } = {},
) {
  return {
    schemaVersion: 1,
    key,
    name: 'Reserve stock',
    connectors: {
      wms: { type: 'http', settings: { baseUrl: wmsUrl }, retry, timeout: 'PT5S' },
    },
    fields: [
      {
        key: 'lines',
        type: 'array',
        required: true,
        items: [
          { key: 'sku', type: 'string', required: true },
          { key: 'qty', type: 'integer', required: true },
        ],
      },
      { key: 'reservation', type: 'object', fields: [{ key: 'id', type: 'string' }] },
    ],
    states: [
      {
        id: 'new',
        initial: true,
        entry: [
          {
            call: {
              connector: 'wms',
              action: 'request',
              input: {
                method: 'POST',
                path: '/reservations',
                'body.orderId': { var: '$order.id' },
                'body.lines': { var: 'lines' },
                'map.id': '/reservationId',
              },
              resultPath: 'reservation',
              onSuccess: 'reserved',
            },
          },
        ],
      },
      { id: 'reserved', final: true },
    ],
    transitions: [{ id: 'reserve', from: 'new', to: 'reserved', event: 'reserved' }],
  };
}
