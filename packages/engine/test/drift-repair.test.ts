import { type Flow, type Order, repairPush, routeException, validateFlow } from '../src';
import { testContext } from '../src/testing';

const flow = {
  schemaVersion: 1,
  key: 'sync',
  name: 'sync',
  fields: [{ key: 'ref', type: 'string' }],
  states: [
    { id: 'new', initial: true },
    { id: 'done', final: true },
  ],
  transitions: [{ id: 'finish', from: 'new', to: 'done', event: 'done' }],
  connectors: { erp: { type: 'http', settings: { baseUrl: 'https://erp.example.com' } } },
  systems: {
    erp: {
      statuses: [
        { code: '10', state: 'new' },
        { code: '90', state: 'done', event: 'done' },
      ],
      push: {
        call: {
          connector: 'erp',
          action: 'request',
          input: {
            path: '/orders/{ref}/status',
            'params.ref': { var: 'ref' },
            'body.status': { var: '$status' },
            'body.from': { var: '$system' },
          },
        },
      },
      read: {
        call: { connector: 'erp', action: 'request', input: { path: '/orders' } },
        status: '/status',
        repair: true,
      },
    },
    wms: { statuses: [{ code: 'W9', state: 'done' }] },
  },
  exceptions: [
    { kind: 'drift_refused', connector: 'erp', task: { queue: 'desk', title: 'x' } },
    { kind: 'refused_delivery', task: { queue: 'desk', title: 'y' } },
  ],
} as unknown as Flow;

const order = (state: string): Order =>
  ({
    id: 'o-1',
    flow: 'sync',
    flowVersion: 1,
    state,
    version: 3,
    data: { ref: 'R-1' },
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  }) as Order;

describe('drift repair', () => {
  it('the flow with read.repair and the new exception kinds is valid; repair must be a boolean', () => {
    expect(validateFlow(flow).problems).toEqual([]);
    const bad = structuredClone(flow) as any;
    bad.systems.erp.read.repair = 'yes';
    expect(validateFlow(bad).problems[0]).toMatchObject({ path: '/systems/erp/read/repair' });
  });

  it("builds the push of the order's current state in the system's code", () => {
    expect(repairPush(flow, 'erp', order('new'), testContext())).toEqual({
      call: (flow.systems as any).erp.push.call,
      code: '10',
      input: {
        path: '/orders/{ref}/status',
        params: { ref: 'R-1' },
        body: { status: '10', from: 'erp' },
      },
    });
    // No push declared, or no code for the state: nothing to push.
    expect(repairPush(flow, 'wms', order('done'), testContext())).toBeUndefined();
    expect(repairPush(flow, 'wms', order('new'), testContext())).toBeUndefined();
    expect(repairPush(flow, 'nope', order('new'), testContext())).toBeUndefined();
  });

  it('routes drift_refused by connector and refused_delivery by kind', () => {
    expect(routeException(flow, { kind: 'drift_refused', connector: 'erp' })?.index).toBe(0);
    expect(routeException(flow, { kind: 'drift_refused', connector: 'tms' })).toBeUndefined();
    expect(
      routeException(flow, { kind: 'refused_delivery', trigger: 't', payload: { a: 1 } })?.index,
    ).toBe(1);
  });
});
