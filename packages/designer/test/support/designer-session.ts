import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createApp, type OrdoApp, type OrdoConfig } from '@ordo/server';

/** Where the runs leave their screenshots (docs/images/designer takes copies). */
export const shots = path.join(__dirname, '..', '..', 'screenshots');
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A server with the built designer, a headless Chromium and one page on it. */
export interface DesignerSession {
  server: OrdoApp;
  url: string;
  browser: Browser;
  page: Page;
  adminKey: string;
  /** POST to the API as the admin key. */
  post(route: string, body: unknown): Promise<Response>;
  /** The flow's draft as the server has it, once `check` holds (autosave is debounced). */
  draftWhen(flow: string, check: (draft: any) => boolean): Promise<any>;
  /** The native dialogs (alert, confirm, prompt) any page opened: the app must open none. */
  nativeDialogs: string[];
  /** A second browser, signed in as the first page's user, open at `route` (`#/…`). */
  secondPage(route: string): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Starts the server (SQLite in a temporary folder) and Chromium. A native dialog (alert,
 * confirm, prompt) is dismissed and recorded: the app uses its own modals, so closing the
 * session fails when any page opened one.
 */
export async function startDesignerSession(
  options: { outboundAllow?: string[]; mail?: OrdoConfig['mail'] } = {},
): Promise<DesignerSession> {
  mkdirSync(shots, { recursive: true });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ordo-designer-'));
  const adminKey = 'designer-e2e-admin-key-123';
  const server = await createApp(
    {
      port: 0,
      host: '127.0.0.1',
      dataDir,
      database: { kind: 'sqlite', file: path.join(dataDir, 'ordo.db') },
      adminKey,
      bodyLimit: 1 << 20,
      jwtSecret: 'designer-e2e-secret',
      designerDir: path.join(__dirname, '..', '..', 'dist'),
      connectors: [],
      outboundAllow: options.outboundAllow ?? [],
      effectLeaseMs: 30_000,
      webhookRetryMs: 10_000,
      corsOrigins: [],
      trustProxy: false,
      rateLimit: { windowMs: 60_000, loginPerIp: 1e9, loginPerAccount: 1e9, hooksPerIp: 1e9 },
      ...(options.mail && { mail: options.mail }),
    },
    { logger: ['error'] },
  );
  const url = (await server.listen()).replace('localhost', '127.0.0.1');
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const nativeDialogs: string[] = [];
  const refuseDialogs = (p: Page) =>
    p.on('dialog', (dialog) => {
      nativeDialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss();
    });
  refuseDialogs(page);
  const headers = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' };
  return {
    server,
    url,
    browser,
    page,
    adminKey,
    nativeDialogs,
    post: (route, body) =>
      fetch(`${url}/api${route}`, { method: 'POST', headers, body: JSON.stringify(body) }),
    async draftWhen(flow, check) {
      let draft: any;
      for (let i = 0; i < 60; i++) {
        draft = (await fetch(`${url}/api/flows/${flow}`, { headers }).then((r) => r.json())).draft;
        if (check(draft)) return draft;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`the draft of ${flow} never got there: ${JSON.stringify(draft)}`);
    },
    async secondPage(route) {
      const signedIn = await page.evaluate(() => localStorage.getItem('ordo.token'));
      const second = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      refuseDialogs(second);
      await second.goto(url);
      await second.evaluate((value) => localStorage.setItem('ordo.token', value!), signedIn);
      await second.goto(`${url}/${route}`);
      await second.reload();
      return second;
    },
    async close() {
      await browser.close();
      await server.close();
      if (nativeDialogs.length)
        throw new Error(`native browser dialogs opened: ${nativeDialogs.join(' | ')}`);
    },
  };
}

/** A session whose page is signed in as the owner (created through the first-run API). */
export async function signedInSession(
  options: Parameters<typeof startDesignerSession>[0] = {},
): Promise<DesignerSession> {
  const session = await startDesignerSession(options);
  const setup = await fetch(`${session.url}/api/auth/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'owner@example.com', password: 'correct horse', name: 'Owner' }),
  });
  const { token } = (await setup.json()) as { token: string };
  await session.page.goto(session.url);
  await session.page.evaluate((value) => localStorage.setItem('ordo.token', value), token);
  await session.page.reload();
  return session;
}
