/**
 * A custom connector in one typed file: ACME WMS stock reservations. Install it on a server
 * with `ORDO_CONNECTORS=examples/custom-connector/dist/acme-wms.connector.js`, then declare an
 * instance in a flow: `"connectors": { "wms": { "type": "acme-wms", "settings": { "baseUrl":
 * "…", "warehouse": "SH-01" }, "credential": "acme-wms" } }`.
 */
import { ConnectorError, defineConnector, ensureOk, urlEndpoint } from '@ordo/connectors';

interface Settings {
  baseUrl: string;
  warehouse: string;
}

interface Line {
  sku: string;
  qty: number;
  bin?: string;
}

const line = {
  type: 'object',
  required: ['sku', 'qty'],
  additionalProperties: false,
  properties: {
    sku: { type: 'string', minLength: 1 },
    qty: { type: 'integer', minimum: 1 },
    bin: { type: 'string' },
  },
};

export const acmeWms = defineConnector<Settings>({
  id: 'acme-wms',
  version: '1.0.0',
  title: 'ACME WMS',
  description: 'Reserves and releases stock in an ACME warehouse.',
  settings: {
    type: 'object',
    required: ['baseUrl', 'warehouse'],
    additionalProperties: false,
    properties: {
      baseUrl: { type: 'string', format: 'uri', pattern: '^https?://' },
      warehouse: { type: 'string', minLength: 1 },
    },
  },
  auth: { type: 'object', required: ['apiKey'], properties: { apiKey: { type: 'string' } } },
  // Where the API key goes: publishing checks it against the credential's hosts.
  endpoints: (settings) => urlEndpoint('/baseUrl', settings.baseUrl),
  actions: {
    reserve: {
      title: 'Reserve stock',
      input: {
        type: 'object',
        required: ['orderId', 'lines'],
        additionalProperties: false,
        properties: {
          orderId: { type: 'string' },
          lines: { type: 'array', items: line, minItems: 1 },
        },
      },
      output: {
        type: 'object',
        required: ['reservationId'],
        properties: { reservationId: { type: 'string' }, lines: { type: 'array' } },
      },
      // Declared, applied by the runtime: no retry loop in `run`.
      retry: { attempts: 6, backoffMs: 500, maxBackoffMs: 30_000 },
      timeoutMs: 10_000,
      rateLimit: { perSecond: 50 },
      async run(ctx, input: { orderId: string; lines: Line[] }) {
        const response = await ctx.http.request({
          method: 'POST',
          url: `${ctx.settings.baseUrl}/reservations`,
          headers: { 'x-api-key': ctx.credentials.apiKey, 'x-warehouse': ctx.settings.warehouse },
          json: input,
        });
        if (response.status === 409) {
          // Out of stock is an answer, not an outage: retrying will not help.
          const { sku } = response.json<{ sku?: string }>();
          throw new ConnectorError(`Not enough stock of ${sku ?? 'an item'}`, {
            retryable: false,
            code: 'insufficient_stock',
            status: 409,
          });
        }
        const body = ensureOk(response, 'ACME WMS reservation').json<{
          reservationId: string;
          lines?: unknown[];
        }>();
        ctx.log.info('reserved', { orderId: input.orderId, reservation: body.reservationId });
        return { reservationId: body.reservationId, lines: body.lines ?? [] };
      },
    },
    release: {
      title: 'Release a reservation',
      input: {
        type: 'object',
        required: ['reservationId'],
        additionalProperties: false,
        properties: { reservationId: { type: 'string' } },
      },
      output: {
        type: 'object',
        required: ['released'],
        properties: { released: { type: 'boolean' } },
      },
      async run(ctx, input: { reservationId: string }) {
        const response = await ctx.http.request({
          method: 'DELETE',
          url: `${ctx.settings.baseUrl}/reservations/${encodeURIComponent(input.reservationId)}`,
          headers: { 'x-api-key': ctx.credentials.apiKey },
        });
        // Already gone is as good as released: releasing twice must be harmless.
        if (response.status === 404) return { released: false };
        ensureOk(response, 'ACME WMS release');
        return { released: true };
      },
    },
  },
});
