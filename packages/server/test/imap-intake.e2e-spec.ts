/**
 * Orders from a polled IMAP mailbox, against a real IMAP server: a private dovecot (Debian's
 * dovecot-imapd) on a free port, messages delivered into it by IMAP APPEND, answers caught by a
 * local SMTP sink. A CSV attachment and a plain-text body become orders and are answered; a
 * message is marked seen once recorded and worked once (a second server polls again); a
 * sender outside the allow-list is refused and recorded; a wrong password is the mailbox's
 * status; a bad mailbox setting is refused at publish naming its path.
 */
import { createTransport } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import { standardOrderFlow } from '@ordo/engine/testing';
import type { OrdoConfig } from '../src/config/ordo-config';
import { startDovecot, type TestImapServer } from './support/dovecot';
import { publishFlow } from './support/flows';
import { startMailSink } from './support/mail';
import { sheetMapping } from './support/mail-intake';
import { databaseKinds, freshDatabase, startTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

const ORDERS = 'orders@ordo.example';

const imapFlow = (port: number, processed?: string) => ({
  ...standardOrderFlow,
  key: 'imap-orders',
  intake: {
    message: { header: { Store: 'customer.id', 'Order no': 'externalRef' }, line: '{sku} x {qty}' },
    email: {
      to: [ORDERS],
      mapping: sheetMapping,
      imap: {
        host: '127.0.0.1',
        port,
        tls: false,
        plaintext: true,
        user: 'orders',
        credential: 'orders-mailbox',
        every: 'PT1H',
        ...(processed && { processed }),
      },
    },
  },
});

/** A message as the mail server would store it (nodemailer builds the MIME). */
const mime = (message: Mail.Options): Promise<Buffer> =>
  new Promise((resolve, reject) =>
    createTransport({ streamTransport: true, buffer: true }).sendMail(
      { from: 'buyer@stores.example', to: ORDERS, ...message },
      (error, info) => (error ? reject(error) : resolve(info.message as Buffer)),
    ),
  );

describe.each(databaseKinds())('orders from an IMAP mailbox on %s', (db) => {
  let imap: TestImapServer;
  let sink: Awaited<ReturnType<typeof startMailSink>>;
  let fresh: Awaited<ReturnType<typeof freshDatabase>>;
  let app: TestApp;
  const config = (): Partial<OrdoConfig> => ({
    outboundAllow: ['127.0.0.1:*'],
    mail: {
      allow: ['stores.example'],
      outbound: { host: '127.0.0.1', port: sink.port, secure: false, from: 'ordo@ordo.example' },
    },
  });
  const start = () => startTestApp({ db, database: fresh.database, config: config() });
  /** Polls now; waits while the background poller holds the mailbox (409). */
  const poll = () =>
    waitFor(async () => {
      const answer = await app.call('POST', '/api/intake/mailboxes/imap-orders/poll');
      if (answer.status === 409) return undefined;
      expect(answer.status).toBe(200);
      return answer.body as { state: string; message: string; failures: number; taken: number };
    });
  const record = (messageId: string) =>
    waitFor(async () => {
      const items = (await app.call('GET', '/api/intake/messages?flow=imap-orders')).body.items as {
        id: string;
        messageId: string;
        outcome: string;
        duplicates: number;
      }[];
      return items.find((m) => m.messageId === messageId && m.outcome !== 'pending');
    });
  const order = async (ref: string) =>
    (await app.call('GET', `/api/orders?flow=imap-orders&externalRef=${ref}&limit=10`)).body
      .items as { externalRef: string; channel: string; data: Record<string, unknown> }[];
  const saveCredential = (password: string) =>
    app.call('POST', '/api/credentials', {
      name: 'orders-mailbox',
      secret: { password },
      hosts: [`127.0.0.1:${imap.port}`],
    });

  beforeAll(async () => {
    imap = await startDovecot();
    sink = await startMailSink();
    fresh = await freshDatabase(db);
    app = await start();
    expect((await saveCredential(imap.password)).status).toBe(201);
    await publishFlow(app, imapFlow(imap.port));
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await sink?.close();
    await imap?.stop();
    await fresh?.drop();
  });

  it('a CSV attachment and a plain-text body become orders, are answered, and are marked seen', async () => {
    await imap.append(
      await mime({
        subject: 'Weekly order',
        messageId: '<csv-1@stores.example>',
        text: 'Attached.',
        attachments: [
          {
            filename: 'orders.csv',
            content: 'order,store,sku,qty\nIM-1,S-1,SKU-1,2\nIM-1,S-1,SKU-2,3\nIM-2,S-2,SKU-1,1',
            contentType: 'text/csv',
          },
        ],
      }),
    );
    await imap.append(
      await mime({
        subject: 'Order store 7',
        messageId: '<body-1@stores.example>',
        text: 'Store: S-7\nOrder no: IM-BODY-1\nSKU-COLA-330 x 120\n',
      }),
    );
    const status = await poll();
    expect(status).toMatchObject({ state: 'ok', failures: 0, taken: 2 });
    const sheet = await record('<csv-1@stores.example>');
    expect(sheet.outcome).toBe('created');
    const body = await record('<body-1@stores.example>');
    expect(body.outcome).toBe('created');
    const [im1] = await order('IM-1');
    expect(im1).toMatchObject({ channel: 'email', data: { customer: { id: 'S-1' } } });
    expect((im1.data.lines as unknown[]).length).toBe(2);
    expect(await order('IM-2')).toHaveLength(1);
    const [fromBody] = await order('IM-BODY-1');
    expect(fromBody.data).toMatchObject({
      customer: { id: 'S-7' },
      lines: [{ sku: 'SKU-COLA-330', qty: 120 }],
    });
    const answer = await waitFor(async () => sink.mails.find((m) => m.text.includes(body.id)));
    expect(answer.to).toEqual(['buyer@stores.example']);
    expect(answer.text).toContain('IM-BODY-1');
    const sheetAnswer = await waitFor(async () =>
      sink.mails.find((m) => m.text.includes(sheet.id)),
    );
    expect(sheetAnswer.text).toContain('IM-2');
    const inbox = await imap.list();
    expect(inbox.every((m) => m.flags.includes('\\Seen'))).toBe(true);
  });

  it('a message is worked once: read again (unseen once more, another server) it is not taken twice', async () => {
    // As after a stop between the record and the \Seen: the message is unseen again.
    await imap.unsee('<body-1@stores.example>');
    await app.close();
    app = await start();
    const status = await poll();
    expect(status.message).toContain('1 already recorded');
    expect(await order('IM-BODY-1')).toHaveLength(1);
    const again = await record('<body-1@stores.example>');
    expect(again.outcome).toBe('created');
    expect(sink.mails.filter((m) => m.text.includes(again.id))).toHaveLength(1);
    expect((await imap.list()).every((m) => m.flags.includes('\\Seen'))).toBe(true);
  });

  it('a sender outside the allow-list is refused and recorded, and marked seen', async () => {
    await imap.append(
      await mime({
        from: 'someone@elsewhere.example',
        messageId: '<spoof-1@elsewhere.example>',
        text: 'Store: S-1\nOrder no: BAD-1\nSKU-1 x 1',
      }),
    );
    await poll();
    const refused = await record('<spoof-1@elsewhere.example>');
    expect(refused).toMatchObject({
      outcome: 'rejected',
      problems: [expect.objectContaining({ code: 'sender_refused' })],
    });
    expect(await order('BAD-1')).toHaveLength(0);
    expect(sink.mails.some((m) => m.text.includes(refused.id))).toBe(false);
    const spoof = (await imap.list()).find((m) => m.messageId === '<spoof-1@elsewhere.example>');
    expect(spoof?.flags).toContain('\\Seen');
  });

  it('a wrong password shows on the mailbox status (the messages stay unseen); the right one recovers', async () => {
    expect((await saveCredential('wrong-password')).status).toBe(200);
    await imap.append(
      await mime({
        messageId: '<late-1@stores.example>',
        text: 'Store: S-9\nOrder no: IM-LATE\nSKU-1 x 4',
      }),
    );
    const failed = await poll();
    expect(failed).toMatchObject({ state: 'failed', failures: 1 });
    expect(failed.message).toContain('refused the sign-in');
    expect(failed.message).not.toContain('wrong-password');
    const listed = await app.call('GET', '/api/intake/mailboxes');
    expect(listed.body.items).toEqual([
      expect.objectContaining({ flow: 'imap-orders', state: 'failed', failures: 1 }),
    ]);
    expect(JSON.stringify(listed.body)).not.toContain('wrong-password');
    expect(JSON.stringify(listed.body)).not.toContain(imap.password);
    const late = (await imap.list()).find((m) => m.messageId === '<late-1@stores.example>');
    expect(late?.flags).not.toContain('\\Seen');
    expect((await saveCredential(imap.password)).status).toBe(200);
    expect(await poll()).toMatchObject({ state: 'ok', failures: 0 });
    expect((await record('<late-1@stores.example>')).outcome).toBe('created');
  });

  it('never sends the password in the clear unless the flow says so: plain IMAP without STARTTLS fails', async () => {
    const { plaintext: _plaintext, ...imapSettings } = imapFlow(imap.port).intake.email.imap;
    const strict = imapFlow(imap.port);
    strict.intake.email.imap = imapSettings as typeof strict.intake.email.imap;
    expect((await app.call('PUT', '/api/flows/imap-orders/draft', strict)).status).toBe(200);
    expect((await app.call('POST', '/api/flows/imap-orders/publish', {})).status).toBe(201);
    const refused = await poll();
    expect(refused).toMatchObject({ state: 'failed' });
    expect(refused.message).toMatch(/STARTTLS/i);
    expect(
      (await app.call('PUT', '/api/flows/imap-orders/draft', imapFlow(imap.port))).status,
    ).toBe(200);
    expect((await app.call('POST', '/api/flows/imap-orders/publish', {})).status).toBe(201);
    expect(await poll()).toMatchObject({ state: 'ok', failures: 0 });
  });

  it('moves processed messages to a folder when told to', async () => {
    expect(
      (await app.call('PUT', '/api/flows/imap-orders/draft', imapFlow(imap.port, 'Processed')))
        .status,
    ).toBe(200);
    expect((await app.call('POST', '/api/flows/imap-orders/publish', {})).status).toBe(201);
    await imap.append(
      await mime({
        messageId: '<moved-1@stores.example>',
        text: 'Store: S-3\nOrder no: IM-MOVED\nSKU-1 x 1',
      }),
    );
    expect(await poll()).toMatchObject({ state: 'ok' });
    expect((await record('<moved-1@stores.example>')).outcome).toBe('created');
    expect((await imap.list()).some((m) => m.messageId === '<moved-1@stores.example>')).toBe(false);
    expect((await imap.list('Processed')).map((m) => m.messageId)).toContain(
      '<moved-1@stores.example>',
    );
  });

  it('two servers on one database: one polls the mailbox at a time, each message is taken once', async () => {
    const other = await start();
    try {
      for (const n of [1, 2, 3])
        await imap.append(
          await mime({
            messageId: `<pair-${n}@stores.example>`,
            text: `Store: S-${n}\nOrder no: IM-PAIR-${n}\nSKU-1 x ${n}`,
          }),
        );
      const before = (await app.call('GET', '/api/intake/mailboxes/imap-orders')).body.taken;
      const answers = await Promise.all(
        [app, other].map((server) => server.call('POST', '/api/intake/mailboxes/imap-orders/poll')),
      );
      for (const answer of answers) expect([200, 409]).toContain(answer.status);
      const after = await poll();
      expect(after.taken - before).toBe(3);
      for (const n of [1, 2, 3]) {
        expect((await record(`<pair-${n}@stores.example>`)).outcome).toBe('created');
        expect(await order(`IM-PAIR-${n}`)).toHaveLength(1);
      }
    } finally {
      await other.close();
    }
  });

  it('bad mailbox settings are refused at publish naming their path; unknown flows are 404, bad keys 400', async () => {
    const bad = imapFlow(imap.port);
    const doc = {
      ...bad,
      key: 'imap-bad',
      intake: {
        ...bad.intake,
        email: {
          ...bad.intake.email,
          to: ['other@ordo.example'],
          imap: { ...bad.intake.email.imap, port: 70000, processed: 'INBOX' },
        },
      },
    };
    expect((await app.call('POST', '/api/flows', doc)).status).toBe(201);
    const published = await app.call('POST', '/api/flows/imap-bad/publish', {});
    expect(published.status).toBe(422);
    expect(published.headers.get('content-type')).toContain('application/problem+json');
    const paths = (published.body.errors as { path: string }[]).map((e) => e.path);
    expect(paths).toContain('/intake/email/imap/port');
    const wrongHost = {
      ...doc,
      intake: {
        ...doc.intake,
        email: {
          ...doc.intake.email,
          imap: { ...bad.intake.email.imap, host: 'imap.elsewhere.example' },
        },
      },
    };
    await app.call('PUT', '/api/flows/imap-bad/draft', wrongHost);
    const refused = await app.call('POST', '/api/flows/imap-bad/publish', {});
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([
      expect.objectContaining({ path: '/intake/email/imap/host', code: 'credential_host' }),
    ]);
    expect((await app.call('POST', '/api/intake/mailboxes/nope/poll')).status).toBe(404);
    const badKey = await app.call('GET', '/api/intake/mailboxes/Bad%20Key');
    expect(badKey.status).toBe(400);
    expect(badKey.body.errors?.[0]?.path ?? badKey.body.path).toBeDefined();
  });
});
