/** The status-sync test flow: six states, four systems each with its own codes. */
export const SECRET = `whsec_${Buffer.from('sync-hook-secret-0123456789abcdef').toString('base64')}`;
export const STATES = [
  'new',
  'customer_confirmed',
  'finance_reviewed',
  'stock_locked',
  'logistics_booked',
  'done',
];
/** Each system's own codes for the six states, in order. */
export const CODES: Record<string, string[]> = {
  crm: ['OPEN', 'CONFIRMED', 'CREDIT_OK', 'ALLOCATED', 'SHIPPING', 'CLOSED'],
  erp: ['10', '20', '30', '40', '50', '90'],
  wms: ['W0', 'W1', 'W2', 'PICKED', 'LOADED', 'DONE'],
  tms: ['T-NEW', 'T-ACK', 'T-FIN', 'T-READY', 'T-BOOKED', 'T-DELIVERED'],
};
export const SYSTEMS = Object.keys(CODES);

export const syncFlow = (urls: Record<string, string>) => ({
  schemaVersion: 1,
  key: 'sync',
  name: 'Four systems, one status',
  fields: [{ key: 'ref', type: 'string', required: true }],
  states: STATES.map((id, i) => ({
    id,
    ...(i === 0 && { initial: true }),
    ...(i === 5 && { final: true }),
  })),
  transitions: STATES.slice(1).map((to, i) => ({ id: `to_${to}`, from: STATES[i], to, event: to })),
  connectors: Object.fromEntries(
    SYSTEMS.map((s) => [
      s,
      { type: 'http', settings: { baseUrl: urls[s] }, retry: { attempts: 3, backoff: 'PT0.05S' } },
    ]),
  ),
  systems: Object.fromEntries(
    SYSTEMS.map((s) => [
      s,
      {
        statuses: CODES[s].map((code, i) => ({
          code,
          state: STATES[i],
          ...(i > 0 && { event: STATES[i] }),
        })),
        push: {
          call: {
            connector: s,
            action: 'request',
            input: {
              method: 'POST',
              path: '/orders/{ref}/status',
              'params.ref': { var: 'ref' },
              'body.status': { var: '$status' },
            },
          },
        },
        read: {
          call: {
            connector: s,
            action: 'request',
            input: { path: '/orders/{ref}/status', 'params.ref': { var: 'ref' } },
          },
          status: '/body/status',
        },
      },
    ]),
  ),
  triggers: SYSTEMS.map((s) => ({
    id: `${s}-status`,
    webhook: {
      secret: 'sync-hook',
      system: s,
      find: { by: 'externalRef', value: { var: '$body.ref' } },
      status: { var: '$body.status' },
    },
  })),
});
