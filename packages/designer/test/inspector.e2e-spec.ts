/**
 * The flow editor's forms in Chromium: a state's SLA and entry actions (a connector call with
 * its input, a task), a transition's actions, and the integration tab (a system, its webhook,
 * exception routing, queues) — edited without JSON and saved in the draft.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { choose } from './support/choose';
import { type DesignerSession, shots, signedInSession } from './support/designer-session';

describe('inspector forms in Chromium', () => {
  let session: DesignerSession;
  let url: string;
  let page: Page;
  let adminKey: string;

  beforeAll(async () => {
    session = await signedInSession();
    ({ url, page, adminKey } = session);
    await session.post('/flows', {
      schemaVersion: 1,
      key: 'dispatch',
      name: 'Dispatch',
      connectors: { wms: { type: 'http', settings: { baseUrl: 'http://127.0.0.1:4102' } } },
      queues: { desk: { roles: ['operator'] } },
      fields: [{ key: 'sku', type: 'string' }],
      states: [{ id: 'new', initial: true }, { id: 'reserved' }, { id: 'done', final: true }],
      transitions: [
        { id: 'reserve', from: 'new', to: 'reserved', event: 'reserved' },
        { id: 'finish', from: 'reserved', to: 'done', event: 'finish' },
      ],
    });
  });

  afterAll(() => session?.close());

  const draftWhen = (check: (doc: any) => boolean) => session.draftWhen('dispatch', check);

  it('edits a state SLA, its entry actions and a transition action as forms', async () => {
    await page.goto(`${url}/#/flows/dispatch`);
    await page.locator('.react-flow__node[data-id="new"]').click();
    const inspector = page.locator('[name=sla-within]');
    await inspector.fill('PT4H');
    await page.fill('[name=sla-queue]', 'desk');
    await page.fill('[name=sla-task-title]', 'Reserve stock by hand');

    // A call to the WMS: the connector from the flow, the action offered by its type.
    await choose(page, '[data-testid="entry.kind"]', 'Call a connector');
    await page.click('[name="entry.add"]');
    await page.fill('[name="entry.0.action"]', 'request');
    await page.click('[name="entry.0.input.add"]');
    await page.fill('[name="entry.0.input.0.path"]', 'body.sku');
    await page.fill('[name="entry.0.input.0.value"]', '{"var": "sku"}');
    await page.click('[name="entry.0.input.add"]');
    await page.fill('[name="entry.0.input.1.path"]', 'path');
    await page.fill('[name="entry.0.input.1.value"]', '/reservations');
    await page.fill('[name="entry.0.onSuccess"]', 'reserved');
    // And a task, moved above the call.
    await choose(page, '[data-testid="entry.kind"]', 'Open a task');
    await page.click('[name="entry.add"]');
    await page.fill('[name="entry.1.title"]', 'Check the reservation');
    await choose(page, '[data-testid="entry.1.priority"]', 'High');
    await page.locator('.action[data-kind=task] button', { hasText: 'Move up' }).click();

    const draft = await draftWhen((d) => d.states[0].entry?.[1]?.call?.onSuccess === 'reserved');
    expect(draft.states[0]).toEqual({
      id: 'new',
      initial: true,
      sla: {
        within: 'PT4H',
        onBreach: { task: { queue: 'desk', title: 'Reserve stock by hand' } },
      },
      entry: [
        { task: { queue: 'desk', title: 'Check the reservation', priority: 'high' } },
        {
          call: {
            connector: 'wms',
            action: 'request',
            input: { 'body.sku': { var: 'sku' }, path: '/reservations' },
            onSuccess: 'reserved',
          },
        },
      ],
    });
    await page.locator('[name=sla-within]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, '14-inspector-actions.png') });

    // A transition's action: notify the desk when the stock is reserved.
    await page.locator('.react-flow__edge-textwrapper', { hasText: 'reserved' }).click();
    await choose(page, '[data-testid="actions.kind"]', 'Notify');
    await page.click('[name="actions.add"]');
    await choose(page, '[data-testid="actions.0.audience"]', 'Queue');
    await page.fill('[name="actions.0.recipient"]', 'desk');
    await page.fill('[name="actions.0.message"]', 'Stock reserved');
    const withNotify = await draftWhen((d) => d.transitions[0].actions?.[0]?.notify?.message);
    expect(withNotify.transitions[0].actions).toEqual([
      { notify: { to: { queue: 'desk' }, message: 'Stock reserved' } },
    ]);
    // The document stays valid: nothing in the problems list.
    const check = await fetch(`${url}/api/flows/validate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(withNotify),
    }).then((r) => r.json());
    expect(check.problems.filter((p: { severity: string }) => p.severity === 'error')).toEqual([]);
  });

  it('counts an SLA in working hours, and keeps that when the duration is edited', async () => {
    await page.goto(`${url}/#/flows/dispatch`);
    await page.locator('.react-flow__node[data-id="new"]').click();
    await page.check('[name=sla-business]');
    await expect(
      page
        .locator('.ant-checkbox-wrapper', { has: page.locator('[name=sla-business]') })
        .textContent(),
    ).resolves.toContain('no calendar');
    await page.fill('[name=sla-within]', 'PT6H');
    const draft = await draftWhen((d) => d.states[0].sla?.within === 'PT6H');
    expect(draft.states[0].sla).toMatchObject({ within: 'PT6H', in: 'business' });
    await page.fill('[name=sla-event]', 'finish');
    const again = await draftWhen((d) => d.states[0].sla?.onBreach?.event === 'finish');
    expect(again.states[0].sla.in).toBe('business');
    await page.uncheck('[name=sla-business]');
    const off = await draftWhen((d) => d.states[0].sla?.in === undefined);
    expect(off.states[0].sla).toMatchObject({ within: 'PT6H', onBreach: { event: 'finish' } });
  });

  it('sets up triggers, a system, exception routing and queues in the integration tab', async () => {
    await page.goto(`${url}/#/flows/dispatch`);
    await page.click('[data-tab=integration]');
    // A system with its own codes, read for drift every hour and repaired.
    await page.click('[name="systems.add"]');
    await page.fill('[name="systems.0.name"]', 'wms');
    await page.fill('[name="systems.0.statuses.0.code"]', 'RSV');
    await choose(page, '[data-testid="systems.0.statuses.0.state"]', 'reserved');
    await page.fill('[name="systems.0.statuses.0.event"]', 'reserved');
    await page.click('[name="systems.0.statuses.add"]');
    await page.fill('[name="systems.0.statuses.1.code"]', 'NEW');
    await choose(page, '[data-testid="systems.0.statuses.1.state"]', 'new');
    await page.check('[name="systems.0.read"]');
    await page.fill('[name="systems.0.read.action"]', 'request');
    await page.fill('[name="systems.0.read.every"]', 'PT1H');
    await page.check('[name="systems.0.read.repair"]');
    // Its webhook: deliveries carry our reference and its status code.
    await page.click('[name="triggers.add-webhook"]');
    await page.fill('[name="triggers.0.id"]', 'wms-events');
    await page.fill('[name="triggers.0.find.value"]', '$body.ref');
    await choose(page, '[data-testid="triggers.0.mode"]', 'a status code of a system');
    await page.fill('[name="triggers.0.status"]', '$body.code');
    // A failed WMS call is retried twice, ten minutes apart.
    await page.click('[name="exceptions.add"]');
    await choose(page, '[data-testid="exceptions.0.connector"]', 'wms');
    await choose(page, '[data-testid="exceptions.0.resolution"]', 'retrying later');
    await page.fill('[name="exceptions.0.retry.after"]', 'PT10M');
    await page.fill('[name="exceptions.0.retry.times"]', '2');
    await page.fill('[name="queues.0.roles"]', 'operator, warehouse');

    const draft = await draftWhen((d) => d.queues?.desk?.roles?.length === 2);
    expect(draft.systems).toEqual({
      wms: {
        statuses: [
          { code: 'RSV', state: 'reserved', event: 'reserved' },
          { code: 'NEW', state: 'new' },
        ],
        read: {
          call: { connector: 'wms', action: 'request' },
          status: '/status',
          every: 'PT1H',
          repair: true,
        },
      },
    });
    expect(draft.triggers).toEqual([
      {
        id: 'wms-events',
        webhook: {
          secret: 'dispatch-hook',
          find: { by: 'externalRef', value: { var: '$body.ref' } },
          system: 'wms',
          status: { var: '$body.code' },
        },
      },
    ]);
    expect(draft.exceptions).toEqual([
      { kind: 'connector_failed', connector: 'wms', retry: { after: 'PT10M', times: 2 } },
    ]);
    expect(draft.queues).toEqual({ desk: { roles: ['operator', 'warehouse'] } });
    await page.locator('[name="systems.0.name"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, '15-integration.png') });
    const check = await fetch(`${url}/api/flows/validate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(draft),
    }).then((r) => r.json());
    expect(check.problems.filter((p: { severity: string }) => p.severity === 'error')).toEqual([]);
  });
});
