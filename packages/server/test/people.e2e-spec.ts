import { TasksService } from '../src/tasks/tasks.service';
import { orderData, publishFlow } from './support/flows';
import { databaseKinds, startTestApp, type TestApp } from './support/test-app';

const PASSWORD = 'long enough password';

describe.each(databaseKinds())('people, API keys and the audit log on %s', (db) => {
  let app: TestApp;
  /** The owner's login token: the first admin. */
  let owner: { id: string; token: string };

  const login = async (email: string) =>
    app.call('POST', '/api/auth/login', { email, password: PASSWORD }, { as: '' });
  const person = async (email: string, roles: string[]) => {
    const created = await app.call('POST', '/api/users', {
      email,
      password: PASSWORD,
      name: email.split('@')[0],
      roles,
    });
    expect(created.status).toBe(201);
    return { id: created.body.id as string, token: (await login(email)).body.token as string };
  };
  const auditCount = async () => (await app.call('GET', '/api/audit?limit=500')).body.items.length;

  beforeAll(async () => {
    app = await startTestApp({ db });
    await publishFlow(app);
    const setup = await app.call(
      'POST',
      '/api/auth/setup',
      { email: 'owner@example.com', password: PASSWORD, name: 'Owner' },
      { as: '' },
    );
    owner = { id: setup.body.user.id, token: setup.body.token };
  });
  afterAll(() => app.close());

  it('changes roles with effect on the very next request', async () => {
    const olga = await person('olga@example.com', ['operator']);
    const create = () =>
      app.call(
        'POST',
        '/api/orders',
        { flow: 'standard-order', data: orderData() },
        { as: olga.token },
      );
    expect((await create()).status).toBe(201);
    const changed = await app.call(
      'PATCH',
      `/api/users/${olga.id}`,
      { roles: ['viewer'] },
      { as: owner.token },
    );
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id: olga.id, roles: ['viewer'], disabled: false });
    expect(changed.body.passwordHash).toBeUndefined();
    expect((await create()).status).toBe(403);
    expect(
      (await app.call('GET', '/api/auth/me', undefined, { as: olga.token })).body.roles,
    ).toEqual(['viewer']);
  });

  it('stops a disabled person at once: tokens, sign-in, and the tokens from before re-enabling', async () => {
    const dan = await person('dan@example.com', ['viewer']);
    const me = () => app.call('GET', '/api/auth/me', undefined, { as: dan.token });
    expect((await me()).status).toBe(200);
    const disabled = await app.call('PATCH', `/api/users/${dan.id}`, { disabled: true });
    expect(disabled.body).toMatchObject({ disabled: true, disabledAt: expect.any(String) });
    expect((await me()).status).toBe(401);
    expect((await login('dan@example.com')).status).toBe(401);

    await app.call('PATCH', `/api/users/${dan.id}`, { disabled: false });
    // The token issued before the disabling stays dead; a new sign-in works.
    expect((await me()).status).toBe(401);
    const again = await login('dan@example.com');
    expect(again.status).toBe(200);
    expect(
      (await app.call('GET', '/api/auth/me', undefined, { as: again.body.token })).status,
    ).toBe(200);
  });

  it('refuses bad input with a problem naming the path, and writes nothing', async () => {
    const vera = await person('vera@example.com', ['viewer']);
    const before = await auditCount();
    const cases: [unknown, string][] = [
      [{ roles: [] }, '/roles'],
      [{ roles: ['Not A Role'] }, '/roles/0'],
      [{ disabled: 'yes' }, '/disabled'],
      [{ roles: ['viewer'], email: 'x@example.com' }, '/email'],
      [{}, ''],
    ];
    for (const [body, path] of cases) {
      const answer = await app.call('PATCH', `/api/users/${vera.id}`, body);
      expect(answer.status).toBe(422);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(answer.body.errors[0].path).toBe(path);
    }
    expect((await app.call('PATCH', '/api/users/nobody', { disabled: true })).status).toBe(404);
    const aKey = await app.call('POST', '/api/keys', { name: 'k', roles: ['viewer'] });
    expect((await app.call('PATCH', `/api/users/${aKey.body.id}`, { disabled: true })).status).toBe(
      404,
    );
    expect(
      (await app.call('PATCH', `/api/users/${vera.id}`, { disabled: true }, { as: vera.token }))
        .status,
    ).toBe(403);
    expect(await auditCount()).toBe(before + 1); // the key only
    expect(
      (await app.call('GET', '/api/auth/me', undefined, { as: vera.token })).body.roles,
    ).toEqual(['viewer']);
  });

  it('never removes the last enabled admin, nor lets an admin disable or delete themselves', async () => {
    const demote = await app.call(
      'PATCH',
      `/api/users/${owner.id}`,
      { roles: ['viewer'] },
      { as: owner.token },
    );
    expect(demote.status).toBe(409);
    expect(demote.body.code).toBe('last_admin');
    expect((await app.call('PATCH', `/api/users/${owner.id}`, { disabled: true })).body.code).toBe(
      'last_admin',
    );
    expect((await app.call('DELETE', `/api/users/${owner.id}`)).body.code).toBe('last_admin');
    const ada = await person('ada@example.com', ['admin']);
    const self = await app.call(
      'PATCH',
      `/api/users/${ada.id}`,
      { disabled: true },
      { as: ada.token },
    );
    expect(self.status).toBe(409);
    expect(self.body.code).toBe('self_lockout');
    expect(
      (await app.call('DELETE', `/api/users/${ada.id}`, undefined, { as: ada.token })).status,
    ).toBe(409);

    // Two admins disabling each other at the same moment: one of them stays.
    const both = await Promise.all([
      app.call('PATCH', `/api/users/${ada.id}`, { disabled: true }, { as: owner.token }),
      app.call('PATCH', `/api/users/${owner.id}`, { disabled: true }, { as: ada.token }),
    ]);
    // The loser is refused as the last admin (409) or, already disabled, as nobody (401).
    const statuses = both.map((r) => r.status).sort();
    expect(statuses[0]).toBe(200);
    expect([401, 409]).toContain(statuses[1]);
    const users = (await app.call('GET', '/api/users')).body.items;
    const admins = users.filter((u: any) => u.roles.includes('admin') && !u.disabled);
    expect(admins).toHaveLength(1);
    // Put both back for the tests that follow.
    for (const u of [owner.id, ada.id])
      await app.call('PATCH', `/api/users/${u}`, { disabled: false });
    owner.token = (await login('owner@example.com')).body.token;
  });

  it("caps a key's roles at its creator's, now and later", async () => {
    const dora = await person('dora@example.com', ['designer', 'viewer']);
    const tooMuch = await app.call(
      'POST',
      '/api/keys',
      { name: 'ci', roles: ['viewer', 'admin'] },
      { as: dora.token },
    );
    expect(tooMuch.status).toBe(403);
    expect(tooMuch.body.errors[0].path).toBe('/roles/1');
    const made = await app.call(
      'POST',
      '/api/keys',
      { name: 'ci', roles: ['designer', 'viewer'] },
      { as: dora.token },
    );
    expect(made.status).toBe(201);
    expect(made.body.createdBy).toBe(dora.id);
    const flows = () => app.call('GET', '/api/flows', undefined, { as: made.body.key });
    expect((await flows()).status).toBe(200);
    const keys = await app.call('GET', '/api/keys', undefined, { as: dora.token });
    expect(keys.body.items.map((k: any) => k.id)).toEqual([made.body.id]);
    // Someone else's key is not Dora's to revoke.
    const other = await app.call('POST', '/api/keys', { name: 'other', roles: ['viewer'] });
    expect(
      (await app.call('DELETE', `/api/keys/${other.body.id}`, undefined, { as: dora.token }))
        .status,
    ).toBe(404);
    expect((await app.call('DELETE', `/api/keys/${other.body.id}`)).status).toBe(204);
    expect((await app.call('DELETE', `/api/keys/${other.body.id}`)).status).toBe(404);
    expect((await app.call('GET', '/api/auth/me', undefined, { as: other.body.key })).status).toBe(
      401,
    );

    // Dora loses `viewer` and `designer`: the key she made cannot do more than she can.
    await app.call('PATCH', `/api/users/${dora.id}`, { roles: ['operator'] });
    expect((await flows()).status).toBe(403);
    await app.call('PATCH', `/api/users/${dora.id}`, { roles: ['designer', 'viewer'] });
    expect((await flows()).status).toBe(200);
    // Disabled, her keys stop too.
    await app.call('PATCH', `/api/users/${dora.id}`, { disabled: true });
    expect((await flows()).status).toBe(401);
  });

  it('deletes a person: tasks back to their queue, private views gone, their keys revoked', async () => {
    const tom = await person('tom@example.com', ['operator', 'supervisors']);
    const key = await app.call(
      'POST',
      '/api/keys',
      { name: 'tom-bot', roles: ['operator'] },
      { as: tom.token },
    );
    expect(key.status).toBe(201);
    const view = await app.call(
      'PUT',
      '/api/views/orders/mine',
      { settings: { state: 'new' } },
      { as: tom.token },
    );
    expect(view.status).toBeLessThan(300);
    // A task assigned to Tom: the standard flow's SLA breach opens one; make one directly instead.
    const { body: order } = await app.call('POST', '/api/orders', {
      flow: 'standard-order',
      data: orderData(),
    });
    await app.server.app.get(TasksService).open({
      key: `test-task-${db}`,
      orderId: order.id,
      flow: 'standard-order',
      queue: 'supervisors',
      roles: ['supervisors'],
      title: 'Check it',
      priority: 'normal',
      assignee: tom.id,
    });
    const tasks = (await app.call('GET', `/api/tasks?assignee=${tom.id}`)).body.items;
    expect(tasks).toHaveLength(1);

    const deleted = await app.call('DELETE', `/api/users/${tom.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({
      id: tom.id,
      releasedTasks: [tasks[0].id],
      deletedViews: 1,
      revokedKeys: [key.body.id],
    });
    expect((await app.call('GET', `/api/tasks/${tasks[0].id}`)).body).toMatchObject({
      status: 'open',
      assignee: null,
    });
    expect((await app.call('GET', '/api/auth/me', undefined, { as: tom.token })).status).toBe(401);
    expect((await app.call('GET', '/api/auth/me', undefined, { as: key.body.key })).status).toBe(
      401,
    );
    expect((await login('tom@example.com')).status).toBe(401);
    expect((await app.call('DELETE', `/api/users/${tom.id}`)).status).toBe(404);
  });

  it('records who changed what, before and after, never a secret; admins only; filters and pages', async () => {
    const { items } = (await app.call('GET', '/api/audit?limit=500')).body;
    const text = JSON.stringify(items);
    expect(text).not.toMatch(/\$2[aby]\$/); // no bcrypt hash
    expect(text).not.toMatch(/ordo_[A-Za-z0-9_-]{20,}/); // no API key
    expect(text).not.toContain(PASSWORD);
    const olga = (await app.call('GET', '/api/users')).body.items.find(
      (u: any) => u.email === 'olga@example.com',
    );
    const hers = (await app.call('GET', `/api/audit?entity=user&entityId=${olga.id}`)).body.items;
    expect(hers.map((e: any) => e.action)).toEqual(['updated', 'created']);
    expect(hers[0]).toMatchObject({
      actor: owner.id,
      entity: 'user',
      before: { roles: ['operator'] },
      after: { roles: ['viewer'] },
      at: expect.any(String),
    });
    // The first-run owner is in it too, created by themselves.
    expect(items.find((e: any) => e.entityId === owner.id && e.action === 'created')).toMatchObject(
      {
        actor: owner.id,
        entity: 'user',
        entityId: owner.id,
        action: 'created',
        after: { email: 'owner@example.com', roles: ['admin'] },
      },
    );
    const actions = new Set(items.map((e: any) => `${e.entity}.${e.action}`));
    for (const a of [
      'user.created',
      'user.updated',
      'user.disabled',
      'user.enabled',
      'user.deleted',
      'key.created',
      'key.revoked',
      'flow.published',
    ])
      expect(actions).toContain(a);

    // Credentials and webhook subscriptions too, with no secret in them.
    await app.call('POST', '/api/credentials', {
      name: 'crm',
      secret: { token: 'sk_live_very_secret' },
      hosts: ['crm.example.com:443'],
    });
    await app.call('DELETE', '/api/credentials/crm');
    const creds = (await app.call('GET', '/api/audit?entity=credential&entityId=crm')).body.items;
    expect(creds.map((e: any) => e.action)).toEqual(['deleted', 'created']);
    expect(creds[1].after).toEqual({
      name: 'crm',
      fields: ['token'],
      hosts: ['crm.example.com:443'],
    });
    expect(JSON.stringify(creds)).not.toContain('sk_live_very_secret');

    // Webhook subscriptions (a public address literal: this machine resolves no public name;
    // deleted at once, so nothing is ever sent), migrations and template deploys.
    const webhookSecret = `whsec_${Buffer.from('a-webhook-secret-of-some-length').toString('base64')}`;
    const hook = await app.call('POST', '/api/webhooks', {
      url: 'https://93.184.215.14/ordo',
      events: ['*'],
      secret: webhookSecret,
    });
    expect(hook.status).toBe(201);
    await app.call('DELETE', `/api/webhooks/${hook.body.id}`);
    const hooks = (await app.call('GET', `/api/audit?entity=webhook&entityId=${hook.body.id}`)).body
      .items;
    expect(hooks.map((e: any) => e.action)).toEqual(['deleted', 'created']);
    expect(hooks[1].after).toMatchObject({ url: 'https://93.184.215.14/ordo' });
    expect(JSON.stringify(hooks)).not.toContain(webhookSecret);
    await app.call('POST', '/api/flows/standard-order/publish', {});
    const migrated = await app.call('POST', '/api/flows/standard-order/migrate', { toVersion: 2 });
    expect(migrated.status).toBe(200);
    const [migration] = (await app.call('GET', '/api/audit?entity=migration')).body.items;
    expect(migration).toMatchObject({
      entityId: 'standard-order',
      action: 'migrated',
      after: { toVersion: 2 },
    });
    const deployed = await app.call('POST', '/api/templates/status-sync/deploy', {});
    expect(deployed.status).toBe(200);
    const [template] = (await app.call('GET', '/api/audit?entity=template')).body.items;
    expect(template).toMatchObject({
      entityId: 'status-sync',
      action: 'deployed',
      after: { flow: 'status-sync', version: 1, published: true },
    });
    const placeholder = (await app.call('GET', '/api/audit?entity=credential&entityId=sync-hook'))
      .body.items;
    expect(placeholder).toHaveLength(1);
    expect(JSON.stringify(placeholder[0])).not.toMatch(/"secret":"(?!\[redacted\])/);

    // Filters: by actor, time window, and cursor pages that add up to the whole.
    const byAdminKey = (await app.call('GET', '/api/audit?actor=admin-key&limit=500')).body.items;
    expect(byAdminKey.length).toBeGreaterThan(0);
    expect(byAdminKey.every((e: any) => e.actor === 'admin-key')).toBe(true);
    expect((await app.call('GET', '/api/audit?from=2999-01-01')).body.items).toEqual([]);
    const all = (await app.call('GET', '/api/audit?limit=500')).body.items.map((e: any) => e.id);
    const paged: number[] = [];
    let cursor: string | null = null;
    do {
      const page: any = (
        await app.call('GET', `/api/audit?limit=3${cursor ? `&cursor=${cursor}` : ''}`)
      ).body;
      paged.push(...page.items.map((e: any) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all);

    for (const [query, path] of [
      ['entity=planet', '/entity'],
      ['from=yesterday', '/from'],
      ['limit=0', '/limit'],
      ['cursor=x', '/cursor'],
    ]) {
      const bad = await app.call('GET', `/api/audit?${query}`);
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].path).toBe(path);
    }
    const viewer = await app.call('POST', '/api/keys', {
      name: 'v',
      roles: ['viewer', 'designer', 'operator'],
    });
    expect((await app.call('GET', '/api/audit', undefined, { as: viewer.body.key })).status).toBe(
      403,
    );
  });
  it('names everyone who acts for any signed-in role, without emails; not to strangers', async () => {
    const vera = await person('wendy@example.com', ['viewer']);
    const key = await app.call('POST', '/api/keys', { name: 'erp robot', roles: ['operator'] });
    const seen = await app.call('GET', '/api/people', undefined, { as: vera.token });
    expect(seen.status).toBe(200);
    const byId = new Map(seen.body.items.map((p: any) => [p.id, p]));
    expect(byId.get(vera.id)).toEqual({
      id: vera.id,
      kind: 'user',
      name: 'wendy',
      roles: ['viewer'],
      active: true,
    });
    expect(byId.get(key.body.id)).toMatchObject({ kind: 'key', name: 'erp robot', active: true });
    expect(JSON.stringify(seen.body)).not.toContain('@example.com');
    expect(JSON.stringify(seen.body)).not.toContain('passwordHash');
    expect((await app.call('GET', '/api/people', undefined, { as: '' })).status).toBe(401);
    await app.call('PATCH', `/api/users/${vera.id}`, { disabled: true });
    const after = await app.call('GET', '/api/people');
    expect(after.body.items.find((p: any) => p.id === vera.id).active).toBe(false);
  });
});
