/**
 * Orders by e-mail end to end, with a real SMTP client (nodemailer) against the receiver and a
 * local SMTP sink as the answers' mail server: a body read by the flow's message format, CSV
 * and Excel attachments through the import's mapping, senders outside the allow-list refused
 * at SMTP and recorded, a Message-ID processed once, problems answered by line, and a retry.
 * The receiver's lifecycle (pooled answers, a restart) is in mail-intake-lifecycle.e2e-spec.
 */
import { randomUUID } from 'node:crypto';
import { sendMail } from './support/mail';
import { publishFlow } from './support/flows';
import { mailFlow, mailIntake, ORDERS } from './support/mail-intake';
import { databaseKinds } from './support/test-app';
import { waitFor } from './support/wait-for';
import { workbook } from './support/workbook';

/** A sheet of orders, one row per order line: `count` orders of `lines` lines each. */
const csvOrders = (prefix: string, count: number, lines: number) =>
  [
    'order,store,sku,qty',
    ...Array.from({ length: count }, (_, o) =>
      Array.from(
        { length: lines },
        (_, l) => `${prefix}-${o + 1},S-${o + 1},SKU-${l + 1},${l + 1}`,
      ),
    ).flat(),
  ].join('\n');

describe.each(databaseKinds())('orders by e-mail on %s', (db) => {
  const mail = mailIntake(db);
  const { send, messages, message, answerTo, order } = mail;
  const call = (...args: Parameters<typeof mail.app.call>) => mail.app.call(...args);

  it('a body order: created from its lines (units, aliases), answered with its reference', async () => {
    const sent = await send({
      subject: 'Order for store 1',
      messageId: '<body-1@stores.example>',
      text: 'Hello,\n\nStore: S-001\nOrder no: PO-100\nSKU-COLA-330 x 120\ncola x 2 cs\n\nThanks\n-- \nLi',
    });
    expect(sent.response).toMatch(/^250/);
    const record = await message('<body-1@stores.example>');
    expect(record).toMatchObject({
      outcome: 'created',
      problems: [],
      orders: [{ externalRef: 'PO-100' }],
    });
    expect(record.orders[0].id).toEqual(expect.any(String));
    const [stored] = await order('PO-100');
    expect(stored).toMatchObject({
      channel: 'email',
      data: {
        customer: { id: 'S-001' },
        lines: [
          { sku: 'SKU-COLA-330', qty: 120 },
          { sku: 'SKU-COLA-330', qty: 48 },
        ],
      },
    });
    const answer = await answerTo(record.id);
    expect(answer.to).toEqual(['buyer@stores.example']);
    expect(answer.subject).toContain('1 order(s) created');
    expect(answer.text).toContain('PO-100');
    expect(answer.text).toContain('Understood:\n  line 3: Store: S-001');
    expect(record.language).toBe('en');
    const detail = await call('GET', `/api/intake/messages/${record.id}`);
    expect(detail.body).toMatchObject({
      from: 'buyer@stores.example',
      to: [ORDERS],
      flow: 'mail-orders',
      auth: { envelopeDomain: 'stores.example', fromDomain: 'stores.example', allowed: true },
      result: {
        body: {
          understood: [
            { line: 3, as: 'header', path: 'customer.id', value: 'S-001' },
            { line: 4, as: 'header', path: 'externalRef' },
            { line: 5, as: 'line' },
            { line: 6, as: 'line', values: { sku: 'SKU-COLA-330', qty: 48 } },
          ],
          notUnderstood: [],
        },
      },
    });
    // The sink has the answer a moment before the record notes it sent.
    await waitFor(
      async () => (await call('GET', `/api/intake/messages/${record.id}`)).body.answeredAt,
    );
    // The order records the message it came from, whose original can be downloaded.
    const history = (await call('GET', `/api/orders/${record.orders[0].id}/history`)).body.items;
    expect(history[0]).toMatchObject({
      kind: 'created',
      // The creation's data stays its payload: replays rebuild the order from it.
      payload: { customer: { id: 'S-001' } },
      source: {
        kind: 'email',
        id: record.id,
        from: 'buyer@stores.example',
        subject: 'Order for store 1',
        lines: [3, 4, 5, 6],
      },
    });
    const raw = await call('GET', `/api/intake/messages/${record.id}/raw`);
    expect(raw.status).toBe(200);
    expect(raw.headers.get('content-type')).toBe('message/rfc822');
    expect(raw.headers.get('content-disposition')).toBe(`attachment; filename="${record.id}.eml"`);
    expect(raw.body).toContain('Message-ID: <body-1@stores.example>');
    expect(raw.body).toContain('SKU-COLA-330 x 120');
    expect((await call('GET', '/api/intake/messages/nope/raw')).body).toMatchObject({
      status: 400,
      errors: [{ path: '/id' }],
    });
    const unknown = await call('GET', `/api/intake/messages/${randomUUID()}/raw`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
  });

  it('CSV and Excel attachments: several orders of several lines each, through the mapping', async () => {
    const xlsx = await workbook(
      csvOrders('XL', 2, 3)
        .split('\n')
        .map((line) => line.split(',').map((c) => (/^\d+$/.test(c) ? Number(c) : c))),
      'Orders',
    );
    await send({
      subject: 'This week',
      messageId: '<sheets-1@stores.example>',
      text: 'Orders attached.',
      attachments: [
        { filename: 'orders.csv', content: csvOrders('CSV', 3, 4), contentType: 'text/csv' },
        { filename: 'orders.xlsx', content: xlsx },
        { filename: 'logo.png', content: Buffer.from('not a sheet') },
      ],
    });
    const record = await message('<sheets-1@stores.example>');
    expect(record.outcome).toBe('created');
    expect(record.orders.map((o) => o.externalRef).sort()).toEqual([
      'CSV-1',
      'CSV-2',
      'CSV-3',
      'XL-1',
      'XL-2',
    ]);
    const [csv2] = await order('CSV-2');
    expect(csv2.data).toMatchObject({ customer: { id: 'S-2' } });
    expect((csv2.data.lines as unknown[]).length).toBe(4);
    const [xl1] = await order('XL-1');
    expect((xl1.data.lines as unknown[]).length).toBe(3);
    // Each order names the attachment and its rows (CSV-2: the data rows 6–9 of orders.csv).
    const csvOrder = record.orders.find((o) => o.externalRef === 'CSV-2')!;
    const [created] = (await call('GET', `/api/orders/${csvOrder.id}/history`)).body.items;
    expect(created.source).toEqual({
      kind: 'email',
      id: record.id,
      from: 'buyer@stores.example',
      subject: 'This week',
      name: 'orders.csv',
      lines: [6, 7, 8, 9],
    });
    const answer = await answerTo(record.id);
    expect(answer.text).toContain('CSV-3');
    expect(answer.text).toContain('XL-2');
  });

  it('a sheet row that is refused is answered by file and row; the other orders are taken', async () => {
    const csv = 'order,store,sku,qty\nP-1,S-1,SKU-1,2\nP-2,S-2,bad sku,2\nP-3,S-3,SKU-3,0';
    await send({
      messageId: '<sheets-2@stores.example>',
      attachments: [{ filename: 'week.csv', content: csv }],
    });
    const record = await message('<sheets-2@stores.example>');
    expect(record.outcome).toBe('partial');
    expect(record.orders).toEqual([expect.objectContaining({ externalRef: 'P-1' })]);
    expect(record.problems).toEqual([
      expect.objectContaining({ file: 'week.csv', line: 3 }),
      expect.objectContaining({ file: 'week.csv', line: 4 }),
    ]);
    const answer = await answerTo(record.id);
    expect(answer.text).toContain('week.csv, row 3');
    expect(answer.text).toContain('week.csv, row 4');
  });

  it('a sender outside the allow-list is refused at SMTP (5xx) and recorded; so is a From header outside it', async () => {
    await expect(
      sendMail(mail.smtpPort, {
        from: 'someone@elsewhere.example',
        to: ORDERS,
        text: 'Store: S-1\nSKU-1 x 1',
      }),
    ).rejects.toMatchObject({ responseCode: 550 });
    // The allowed envelope with another From (what a spoofer writes): refused at the end of DATA.
    await expect(
      sendMail(mail.smtpPort, {
        envelope: { from: 'relay@stores.example', to: [ORDERS] },
        from: 'boss@evil.example',
        to: ORDERS,
        messageId: '<spoof@evil.example>',
        text: 'Store: S-1\nSKU-1 x 1',
      }),
    ).rejects.toMatchObject({ responseCode: 550 });
    // A parent domain of an allowed *.acme.example is not itself allowed.
    await expect(
      sendMail(mail.smtpPort, { from: 'x@acme.example', to: ORDERS, text: 'x' }),
    ).rejects.toMatchObject({ responseCode: 550 });
    // An address no flow takes orders at.
    await expect(send({ to: 'nobody@ordo.example', text: 'x' })).rejects.toMatchObject({
      responseCode: 550,
    });
    const rejected = await messages('?outcome=rejected');
    expect(rejected.map((r) => (r as unknown as { from: string }).from).sort()).toEqual([
      'relay@stores.example',
      'someone@elsewhere.example',
      'x@acme.example',
    ]);
    expect(rejected.every((r) => r.problems[0].code === 'sender_refused')).toBe(true);
    // Nothing of a refused message is kept: its original is not there, and the 404 says why.
    const original = await call('GET', `/api/intake/messages/${rejected[0].id}/raw`);
    expect(original.status).toBe(404);
    expect(original.body).toMatchObject({ code: 'not_kept' });
  });

  it('records a relay’s Authentication-Results and DKIM domain without trusting them', async () => {
    await send({
      from: 'shop@east.acme.example',
      messageId: '<auth-1@east.acme.example>',
      headers: {
        'Authentication-Results':
          'mx.ordo.example; spf=pass smtp.mailfrom=east.acme.example; dkim=fail',
        'DKIM-Signature': 'v=1; a=rsa-sha256; d=east.acme.example; s=sel; b=forged',
      },
      text: 'Store: S-7\nOrder no: PO-AUTH\nSKU-1 x 1',
    });
    const record = await message('<auth-1@east.acme.example>');
    expect(record.outcome).toBe('created');
    const detail = await call('GET', `/api/intake/messages/${record.id}`);
    expect(detail.body.auth).toMatchObject({
      envelopeDomain: 'east.acme.example',
      allowed: true,
      spf: 'pass',
      dkim: 'fail',
      dkimDomains: ['east.acme.example'],
      authenticationResults: [expect.stringContaining('spf=pass')],
    });
    // Ordo's own check, over DNS: the forged signature does not pass, whatever the relay wrote;
    // SPF is of the client's address (no record for an .example domain, or no DNS: not a pass).
    const { verified } = detail.body.auth;
    expect(verified.dkim).toEqual([expect.objectContaining({ domain: 'east.acme.example' })]);
    expect(verified.dkim[0].result).not.toBe('pass');
    expect(verified.spf).toMatchObject({ client: '127.0.0.1', domain: 'east.acme.example' });
    expect(['none', 'neutral', 'temperror', 'permerror']).toContain(verified.spf.result);
  });

  it('the same Message-ID twice is processed once', async () => {
    const twice = {
      messageId: '<twice@stores.example>',
      text: 'Store: S-9\nSKU-TWICE x 3',
    };
    await send(twice);
    const first = await message('<twice@stores.example>');
    await send(twice);
    await waitFor(async () =>
      (await messages()).find((m) => m.id === first.id && m.duplicates === 1),
    );
    const same = (await messages()).filter((m) => m.messageId === '<twice@stores.example>');
    expect(same).toHaveLength(1);
    expect(same[0]).toMatchObject({ outcome: 'created', duplicates: 1 });
    // Its order has a reference made from the Message-ID, so it can never be taken twice.
    expect(same[0].orders[0].externalRef).toMatch(/^mail-[0-9a-f]{12}$/);
    expect(await order(same[0].orders[0].externalRef)).toHaveLength(1);
    expect(mail.sink.mails.filter((m) => m.text.includes(first.id))).toHaveLength(1);
  });

  it('unparseable lines: nothing created, answered with the problems by line', async () => {
    await send({
      subject: 'urgent',
      messageId: '<bad-lines@stores.example>',
      text: 'Store: S-3\nSKU-A x lots\nSKU-B x 4 pallets\nplease add 3 of the usual\nSKU-C x 2',
    });
    const record = await message('<bad-lines@stores.example>');
    expect(record).toMatchObject({ outcome: 'refused', orders: [] });
    expect(record.problems.map((p) => [p.line, p.code])).toEqual([
      [2, 'unrecognized_line'],
      [3, 'bad_value'],
      [4, 'unrecognized_line'],
    ]);
    const answer = await answerTo(record.id);
    expect(answer.subject).toContain('no order created');
    expect(answer.text).toContain('line 2:');
    expect(answer.text).toContain('line 3: unknown unit "pallets"');
    expect(answer.text).toContain('line 4:');
    // Line 5 was understood, and is said to be.
    const [understood, refused] = answer.text.split('Not understood or refused:');
    expect(understood).toContain('Understood:\n  line 1: Store: S-3\n  line 5: SKU-C x 2');
    expect(refused).not.toContain('line 5');
  });

  it('answers in the sender’s language: Chinese for a Chinese message, unless it declares another', async () => {
    await send({
      subject: '门店订单',
      messageId: '<zh-1@stores.example>',
      text: 'Store: S-8\nSKU-COLA-330 x 12\nSKU-B x 4 箱',
    });
    const record = await message('<zh-1@stores.example>');
    expect(record).toMatchObject({ outcome: 'refused', language: 'zh-CN' });
    const answer = await answerTo(record.id);
    expect(answer.subject).toBe('回复：门店订单 — 未创建订单');
    expect(answer.text).toContain('已识别：\n  第 1 行: Store: S-8\n  第 2 行: SKU-COLA-330 x 12');
    expect(answer.text).toContain('第 3 行: 数值有误（unknown unit "箱"');
    expect(answer.text).toContain(`此邮件在 Ordo 中的编号：${record.id}`);
    // Declared English: answered in English, whatever the text.
    await send({
      subject: '门店订单',
      messageId: '<zh-en@stores.example>',
      headers: { 'Content-Language': 'en-GB' },
      text: 'Store: S-8\nSKU-B x 4 箱',
    });
    const english = await message('<zh-en@stores.example>');
    expect(english.language).toBe('en');
    const reply = await answerTo(english.id);
    expect(reply.subject).toContain('no order created');
    expect(reply.text).toContain('line 2: unknown unit "箱"');
  });

  it('an order the flow refuses is answered with the body line at fault', async () => {
    await send({
      messageId: '<refused@stores.example>',
      text: 'Store: S-4\nSKU-A x 2\nlower-case x 1',
    });
    const record = await message('<refused@stores.example>');
    expect(record.outcome).toBe('refused');
    expect(record.problems).toEqual([expect.objectContaining({ line: 3 })]);
  });

  it('a failed message is worked again by a retry once its cause is fixed', async () => {
    await publishFlow(mail.app, {
      ...mailFlow,
      intake: {
        ...mailFlow.intake,
        message: {
          ...mailFlow.intake.message,
          aliases: { part: 'sku', dataSet: 'shop-names', column: 'sku' },
        },
      },
    });
    await send({
      messageId: '<retry@stores.example>',
      text: 'Store: S-5\nOrder no: PO-RETRY\nfanta x 1',
    });
    const failed = await message('<retry@stores.example>');
    expect(failed.outcome).toBe('failed');
    expect(failed.problems[0].message).toContain('"shop-names"');
    expect((await answerTo(failed.id)).subject).toContain('could not be processed yet');

    expect(
      (
        await call('PUT', '/api/datasets/shop-names', {
          format: 'csv',
          content: 'alias,sku\nfanta,SKU-FANTA-330',
        })
      ).status,
    ).toBe(200);
    const retried = await call('POST', `/api/intake/messages/${failed.id}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({
      outcome: 'created',
      orders: [{ externalRef: 'PO-RETRY' }],
    });
    expect((await order('PO-RETRY'))[0].data).toMatchObject({
      lines: [{ sku: 'SKU-FANTA-330', qty: 1 }],
    });
    // A created message is not worked again.
    const again = await call('POST', `/api/intake/messages/${failed.id}/retry`);
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
    await publishFlow(mail.app, mailFlow);
  });

  it('the API: filters, pages, and refuses bad input with problem+json', async () => {
    const created = await messages('?flow=mail-orders&outcome=created');
    expect(created.length).toBeGreaterThan(3);
    expect(created.every((m) => m.outcome === 'created')).toBe(true);
    const first = await call('GET', '/api/intake/messages?limit=2');
    expect(first.body.items).toHaveLength(2);
    const second = await call(
      'GET',
      `/api/intake/messages?limit=2&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.items).toHaveLength(2);
    expect(second.body.items[0].id).not.toBe(first.body.items[1].id);
    for (const [route, path] of [
      ['/api/intake/messages?outcome=lost', '/outcome'],
      ['/api/intake/messages?limit=0', '/limit'],
      ['/api/intake/messages?cursor=nonsense', '/cursor'],
      ['/api/intake/messages/not-an-id', '/id'],
    ]) {
      const bad = await call('GET', route);
      expect(bad.status).toBe(400);
      expect(bad.headers.get('content-type')).toContain('application/problem+json');
      expect(JSON.stringify(bad.body)).toContain(path);
    }
    const missing = await call('GET', '/api/intake/messages/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect((await call('GET', '/api/intake/messages', undefined, { as: '' })).status).toBe(401);
  });
});
