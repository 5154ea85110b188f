import { execFileSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { startTestServer } from '@ordo/connectors/testing';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { ScheduledReports } from '../src/analytics/scheduled-reports';
import { publishFlow } from './support/flows';
import { TestClock } from './support/test-clock';
import { databaseKinds, startTestApp, type TestApp } from './support/test-app';

const HOUR = 3_600_000;
const at = (iso: string) => Date.parse(iso);

const flow = (smtpPort: number, robot: string) => ({
  schemaVersion: 1,
  key: 'clinic-orders',
  name: { en: 'Clinic orders', 'zh-CN': '诊所订单' },
  customer: 'clinic',
  fields: [{ key: 'clinic', type: 'string' }],
  states: [
    { id: 'received', initial: true },
    { id: 'shipped', final: true },
  ],
  transitions: [{ id: 'ship', from: 'received', to: 'shipped', event: 'ship' }],
  measures: [
    {
      id: 'to_ship',
      label: { en: 'Order to shipment', 'zh-CN': '下单到发货' },
      from: { state: 'received' },
      to: { state: 'shipped' },
      target: 'PT4H',
    },
  ],
  connectors: {
    mail: {
      type: 'email',
      settings: {
        host: '127.0.0.1',
        port: smtpPort,
        from: 'ordo@example.com',
        to: ['heads@example.com'],
      },
    },
    robot: {
      type: 'wecom',
      settings: { url: `${robot}/wecom` },
      credential: 'robot-key',
    },
  },
  reports: [
    {
      id: 'monthly',
      kind: 'customer-health',
      top: 10,
      language: 'zh-CN',
      channels: ['mail', 'robot'],
    },
  ],
});

/** March 2026: clinic H1 ships late once in three, H2 on time. */
const LOG = [
  'reference,state,at,customer',
  'A-1,received,2026-03-02T08:00:00Z,H1',
  'A-1,shipped,2026-03-02T14:00:00Z,',
  'A-2,received,2026-03-03T08:00:00Z,H1',
  'A-2,shipped,2026-03-03T09:00:00Z,',
  'A-3,received,2026-03-04T08:00:00Z,H1',
  'A-3,shipped,2026-03-04T10:00:00Z,',
  'A-4,received,2026-03-05T08:00:00Z,H2',
  'A-4,shipped,2026-03-05T09:00:00Z,',
].join('\n');

describe.each(databaseKinds())('scheduled reports on %s', (db) => {
  let app: TestApp;
  const clock = new TestClock();
  const mails: {
    subject: string;
    text: string;
    attachments: { filename: string; content: Buffer }[];
  }[] = [];
  /** The texts the WeCom robot received (`{ msgtype: 'text', text: { content } }`). */
  const robotMessages: string[] = [];
  let robotDown = 0;
  let smtp: SMTPServer;
  let robot: Awaited<ReturnType<typeof startTestServer>>;
  const reports = () => app.server.app.get(ScheduledReports);
  const runs = async () =>
    (await app.call('GET', '/api/flows/clinic-orders/reports/runs')).body.items;

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, _session, callback) {
        void simpleParser(stream).then((m) => {
          mails.push({
            subject: m.subject ?? '',
            text: m.text ?? '',
            attachments: m.attachments.map((a) => ({
              filename: a.filename ?? '',
              content: a.content,
            })),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    robot = await startTestServer((req) => {
      if (robotDown > 0) {
        robotDown--;
        return { status: 503 };
      }
      robotMessages.push(JSON.parse(req.body).text.content);
      return { json: { errcode: 0, errmsg: 'ok' } };
    });
    clock.offset = at('2026-03-20T12:00:00Z') - Date.now();
    app = await startTestApp({ db, clock, config: { outboundAllow: ['127.0.0.1:*'] } });
    await app.call('POST', '/api/credentials', {
      name: 'robot-key',
      secret: { key: 'rk' },
      hosts: ['127.0.0.1:*'],
    });
    const port = (smtp.server.address() as AddressInfo).port;
    await publishFlow(app, flow(port, robot.url));
    const imported = await app.call('POST', '/api/flows/clinic-orders/event-log', {
      format: 'csv',
      content: LOG,
    });
    expect(imported.status).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await robot?.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  it('skips the month before when it first sees a report, then sends on the first of the month', async () => {
    await reports().drain();
    expect(await runs()).toEqual([
      expect.objectContaining({ report: 'monthly', month: '2026-02', status: 'skipped' }),
    ]);
    expect(mails).toHaveLength(0);

    // 1 April: March's report goes out, once, even if the runner looks again.
    clock.offset = at('2026-04-01T00:10:00Z') - Date.now();
    await reports().drain();
    await reports().drain();
    const march = (await runs()).find((r: { month: string }) => r.month === '2026-03');
    expect(march).toMatchObject({ status: 'sent', delivered: ['mail', 'robot'], attempts: 1 });
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe('客户履约健康报告 2026-03 — 诊所订单');
    expect(mails[0].text).toContain('H1 (3): 下单到发货 p50 2 小时, 超时 33.3%');
    expect(mails[0].attachments.map((a) => a.filename)).toEqual([
      'clinic-orders-customer-health-2026-03.pdf',
    ]);
    const pdf = JSON.parse(
      execFileSync(process.execPath, [path.join(__dirname, 'support', 'pdf-text.mjs')], {
        input: mails[0].attachments[0].content,
      }).toString(),
    );
    expect(pdf.title).toBe('客户履约健康报告，2026-03 — 诊所订单');
    expect(robotMessages).toHaveLength(1);
    expect(robotMessages[0]).toContain('2 位客户');
  });

  it('tries a failed channel again later without sending twice to the channels reached', async () => {
    robotDown = 1;
    const r = await app.call('POST', '/api/flows/clinic-orders/reports/monthly/send', {
      month: '2026-03',
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'failed', delivered: ['mail'] });
    expect(r.body.error).toContain('robot');
    expect(mails).toHaveLength(2);
    // An hour later the robot is tried again; the mail is not sent again.
    clock.offset += HOUR + 1000;
    await reports().drain();
    const march = (await runs()).find((x: { month: string }) => x.month === '2026-03');
    expect(march).toMatchObject({ status: 'sent', delivered: ['mail', 'robot'] });
    expect(mails).toHaveLength(2);
    expect(robotMessages).toHaveLength(2);
  });

  it('refuses a report without a customer path or with a channel that is not one, naming the path', async () => {
    const bad = {
      ...flow(25, robot.url),
      key: 'bad-reports',
      customer: undefined,
      reports: [{ id: 'm', kind: 'customer-health', channels: ['robot', 'nowhere'] }],
    };
    const created = await app.call('POST', '/api/flows/validate', bad);
    const paths = created.body.problems
      .filter((p: { severity: string }) => p.severity === 'error')
      .map((p: { path: string }) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['/reports/0/kind', '/reports/0/channels/1']));
    const send = await app.call('POST', '/api/flows/clinic-orders/reports/monthly/send', {
      month: '2026-3',
    });
    expect(send.status).toBe(422);
    expect(send.body.errors[0].path).toBe('/month');
    const unknown = await app.call('POST', '/api/flows/clinic-orders/reports/yearly/send', {});
    expect(unknown.status).toBe(404);
  });
});
