// Makes sure what the test suites need is on this machine before they run: the services
// (PostgreSQL and Redis, when DATABASE_URL / REDIS_URL name them), Debian's Chromium for
// the designer's browser tests and Debian's dovecot for the server's IMAP intake tests. It starts or installs what is missing when it can, and says
// what it did.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';

const isRoot = process.getuid?.() === 0;

function run(cmd) {
  console.log(`test-prerequisites: ${cmd}`);
  execSync(cmd, { stdio: 'inherit' });
}

function reachable(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 1000 });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

async function ensureService(url, defaultPort, start) {
  if (!url) return;
  const { hostname, port } = new URL(url);
  const p = Number(port || defaultPort);
  if (await reachable(hostname, p)) return;
  if (!isRoot) throw new Error(`${url} is not reachable; start it before the tests`);
  run(start);
  for (let i = 0; i < 30 && !(await reachable(hostname, p)); i++)
    await new Promise((r) => setTimeout(r, 500));
  if (!(await reachable(hostname, p)))
    throw new Error(`${url} is still not reachable after starting it`);
}

await ensureService(
  process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : undefined,
  5432,
  'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
);
await ensureService(
  process.env.REDIS_URL,
  6379,
  'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /tmp',
);

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  if (!isRoot)
    throw new Error(
      `Chromium not found at ${chromium}: apt-get install -y chromium (or set CHROMIUM_PATH)`,
    );
  run(
    'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null',
  );
}

// The server's IMAP intake tests start a private dovecot of their own (test/support/dovecot.ts):
// Debian's dovecot-imapd, its binary only — the package's system service is not used.
if (!existsSync('/usr/sbin/dovecot')) {
  if (!isRoot) throw new Error('dovecot not found: apt-get install -y dovecot-imapd');
  run(
    'DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd > /dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd > /dev/null)',
  );
}

// The designer's screenshots show Simplified Chinese too: without a CJK font Chromium draws
// boxes. Optional — the tests pass either way — so only a root shell installs it.
const cjkFont = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';
if (!existsSync(cjkFont) && isRoot) {
  try {
    run(
      'DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk > /dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk > /dev/null)',
    );
  } catch {
    console.log('test-prerequisites: no CJK font; Chinese screenshots will show boxes');
  }
}
