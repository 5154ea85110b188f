/**
 * The designer in Debian's Chromium: its first load (an empty cache: time and bytes, against a
 * reload with the cache warm), and a 60-state flow staying smooth — opened beside a 6-state one
 * (the baseline): time until every node is on the canvas, time to pan with the mouse and the
 * gaps between frames while panning — with the ratios.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { createApp } from '@ordo/server';
import { printRatios } from './lib/bench-db';

const ADMIN_KEY = 'bench-designer-admin-key-1';

/** A chain of `n` states in a 10-wide grid, each with an event transition to the next. */
function flowOf(key: string, n: number) {
  const states = Array.from({ length: n }, (_, i) => ({
    id: `s${i}`,
    label: `Step ${i}`,
    ...(i === 0 && { initial: true }),
    ...(i === n - 1 && { final: true }),
  }));
  return {
    schemaVersion: 1,
    key,
    name: key,
    fields: [{ key: 'qty', type: 'integer' }],
    states,
    transitions: states.slice(1).map((s, i) => ({
      id: `t${i}`,
      from: `s${i}`,
      to: s.id,
      event: `go${i}`,
      guard: { '>': [{ var: 'qty' }, i] },
    })),
    layout: {
      states: Object.fromEntries(
        states.map((s, i) => [s.id, { x: (i % 10) * 260, y: Math.floor(i / 10) * 160 }]),
      ),
    },
  };
}

async function measure(page: Page, url: string, key: string, n: number) {
  await page.goto(`${url}/#/`);
  await page.locator('.flow-list').waitFor();
  const started = Date.now();
  await page.goto(`${url}/#/flows/${key}`);
  await page.waitForFunction(`document.querySelectorAll('.react-flow__node').length >= ${n}`);
  const openMs = Date.now() - started;
  const pane = await page.locator('.react-flow__pane').boundingBox();
  // A string, not a function: the bundler's helpers would not exist in the page.
  await page.evaluate(
    'window.frames_ = []; (function tick(t) { window.frames_.push(t); requestAnimationFrame(tick); })(performance.now());',
  );
  const panStarted = Date.now();
  await page.mouse.move(pane!.x + pane!.width / 2, pane!.y + pane!.height / 2);
  await page.mouse.down();
  for (let i = 0; i < 60; i++)
    await page.mouse.move(pane!.x + pane!.width / 2 - i * 8, pane!.y + pane!.height / 2 - i * 3);
  await page.mouse.up();
  const panMs = Date.now() - panStarted;
  const times = (await page.evaluate('window.frames_')) as number[];
  const gaps = times
    .slice(1)
    .map((t, i) => t - times[i])
    .sort((a, b) => a - b);
  return {
    openMs,
    panMs,
    p95GapMs: gaps[Math.floor(gaps.length * 0.95)] ?? 0,
    worstGapMs: gaps[gaps.length - 1] ?? 0,
  };
}

/**
 * The app's first load as a new visitor has it (an empty cache, signed in): time until the flow
 * list shows and the bytes on the wire (bodies as sent, compressed, and headers); then the same
 * page reloaded with the cache warm, as the baseline.
 */
async function firstLoad(browser: Browser, url: string, token: string) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(`localStorage.setItem('ordo.token', ${JSON.stringify(token)})`);
  const page = await context.newPage();
  let sizes: Promise<number>[] = [];
  page.on('requestfinished', (r) =>
    sizes.push(r.sizes().then((s) => s.responseBodySize + s.responseHeadersSize)),
  );
  const load = async (go: () => Promise<unknown>) => {
    sizes = [];
    const started = Date.now();
    await go();
    await page.locator('.flow-list').waitFor();
    const ms = Date.now() - started;
    await page.waitForLoadState('networkidle');
    const bytes = (await Promise.all(sizes)).reduce((a, b) => a + b, 0);
    return { ms, bytes, requests: sizes.length };
  };
  try {
    const cold = await load(() => page.goto(`${url}/#/`));
    const warm = await load(() => page.reload());
    return { cold, warm };
  } finally {
    await context.close();
  }
}

async function main() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ordo-bench-designer-'));
  const server = await createApp(
    {
      port: 0,
      host: '127.0.0.1',
      dataDir,
      database: { kind: 'sqlite', file: path.join(dataDir, 'ordo.db') },
      adminKey: ADMIN_KEY,
      bodyLimit: 1 << 20,
      jwtSecret: 'bench-designer-secret',
      designerDir: path.join(__dirname, '..', 'packages', 'designer', 'dist'),
      connectors: [],
      outboundAllow: [],
      effectLeaseMs: 30_000,
      webhookRetryMs: 10_000,
      corsOrigins: [],
      trustProxy: false,
      rateLimit: { windowMs: 60_000, loginPerIp: 1e9, loginPerAccount: 1e9, hooksPerIp: 1e9 },
    },
    { logger: ['error'], runEffects: false },
  );
  const url = (await server.listen()).replace('localhost', '127.0.0.1');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  try {
    for (const [key, n] of [
      ['six', 6],
      ['sixty', 60],
    ] as const) {
      const res = await fetch(`${url}/api/flows`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify(flowOf(key, n)),
      });
      if (res.status !== 201) throw new Error(`saving ${key}: ${res.status}`);
    }
    // The owner account (first run), signed in as a person is.
    const setup = await fetch(`${url}/api/auth/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: 'owner@example.com',
        password: 'correct horse',
        name: 'Owner',
      }),
    }).then((r) => r.json() as Promise<{ token: string }>);
    const { cold, warm } = await firstLoad(browser, url, setup.token);
    const kb = (bytes: number) => `${Math.round(bytes / 1024).toLocaleString('en-US')} KB`;
    printRatios(
      'First load of the app in Chromium, signed in, until the flow list shows (per second: higher is better)',
      [
        ['reload, cache warm', 1000 / Math.max(warm.ms, 1)],
        ['first visit, cache empty', 1000 / Math.max(cold.ms, 1)],
      ],
      `First visit: ${cold.ms} ms, ${kb(cold.bytes)} in ${cold.requests} requests; reload: ${warm.ms} ms, ${kb(warm.bytes)} in ${warm.requests} requests`,
    );
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(url);
    await page.evaluate(`localStorage.setItem('ordo.token', ${JSON.stringify(setup.token)})`);
    await page.reload();
    await measure(page, url, 'six', 6); // warm-up: Monaco-free bundle and fonts cached
    const small = await measure(page, url, 'six', 6);
    const large = await measure(page, url, 'sixty', 60);
    // Rates, so that higher is better and the 6-state flow is the baseline.
    const rate = (ms: number) => 1000 / Math.max(ms, 1);
    printRatios(
      'Designer in Chromium at 1280×800, 6-state flow as the baseline (per second: higher is better)',
      [
        ['6 states: opens', rate(small.openMs)],
        ['60 states: opens', rate(large.openMs)],
      ],
      `Panning 60 mouse moves: 6 states ${small.panMs} ms, 60 states ${large.panMs} ms (${(small.panMs / large.panMs).toFixed(2)}×); frame gaps p95/worst: 6 states ${small.p95GapMs.toFixed(1)}/${small.worstGapMs.toFixed(1)} ms, 60 states ${large.p95GapMs.toFixed(1)}/${large.worstGapMs.toFixed(1)} ms`,
    );
  } finally {
    await browser.close();
    await server.close();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
