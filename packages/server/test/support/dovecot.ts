import { execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';

/** A private dovecot: its port, its one user, and how to deliver to and read its mailbox. */
export interface TestImapServer {
  port: number;
  user: string;
  password: string;
  /** Delivers a message into a folder by IMAP APPEND (as the mail server's delivery would). */
  append(raw: string | Buffer, folder?: string): Promise<void>;
  /** The messages of a folder: their Message-ID and flags. */
  list(folder?: string): Promise<{ messageId?: string; flags: string[] }[]>;
  /** Marks a message unseen again (as if a poll had stopped before its \\Seen). */
  unsee(messageId: string, folder?: string): Promise<void>;
  stop(): Promise<void>;
}

const DOVECOT = '/usr/sbin/dovecot';

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

const reachable = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

/**
 * Starts dovecot (Debian's dovecot-imapd, installed by scripts/test-prerequisites.mjs) on a free
 * loopback port with a config file, a passwd-file user and a Maildir of its own under a temp
 * dir, as the current user: no system config is read or touched. Plain IMAP (`ssl = no`).
 */
export async function startDovecot(): Promise<TestImapServer> {
  if (!existsSync(DOVECOT))
    throw new Error(
      `${DOVECOT} not found: apt-get install -y dovecot-imapd (node scripts/test-prerequisites.mjs does)`,
    );
  const dir = mkdtempSync(path.join(tmpdir(), 'ordo-dovecot-'));
  const port = await freePort();
  const me = userInfo();
  const root = me.uid === 0;
  // The login processes (another user, when root) reach their sockets under this directory.
  chmodSync(dir, 0o755);
  const user = 'orders';
  const password = 'orders-secret';
  // Mail is never accessed as uid 0: as root, the mailbox belongs to the `dovecot` user.
  const [uid, gid] = root
    ? ['-u', '-g'].map((flag) => Number(execFileSync('id', [flag, 'dovecot']).toString().trim()))
    : [me.uid, me.gid];
  mkdirSync(path.join(dir, 'run'));
  mkdirSync(path.join(dir, 'mail'));
  if (root) chownSync(path.join(dir, 'mail'), uid, gid);
  writeFileSync(path.join(dir, 'users'), `${user}:{PLAIN}${password}:${uid}:${gid}::${dir}/mail\n`);
  const conf = path.join(dir, 'dovecot.conf');
  writeFileSync(
    conf,
    [
      `base_dir = ${dir}/run`,
      `state_dir = ${dir}/run`,
      `instance_name = ordo-test-${port}`,
      'protocols = imap',
      'listen = 127.0.0.1',
      'ssl = no',
      'auth_mechanisms = plain',
      'disable_plaintext_auth = no',
      // dovecot refuses to run its login and internal processes as root: as root (CI), the
      // unprivileged users Debian's package creates; otherwise everything runs as this user.
      `default_internal_user = ${root ? 'dovecot' : me.username}`,
      `default_login_user = ${root ? 'dovenull' : me.username}`,
      'first_valid_uid = 0',
      `log_path = ${dir}/dovecot.log`,
      `passdb {\n  driver = passwd-file\n  args = scheme=PLAIN ${dir}/users\n}`,
      `userdb {\n  driver = static\n  args = uid=${uid} gid=${gid} home=${dir}/mail\n}`,
      `mail_location = maildir:${dir}/mail/Maildir`,
      'namespace inbox {\n  inbox = yes\n  mailbox Processed {\n    auto = create\n  }\n}',
      `service imap-login {\n  inet_listener imap {\n    address = 127.0.0.1\n    port = ${port}\n  }\n  inet_listener imaps {\n    port = 0\n  }\n}`,
      'service anvil {\n  chroot =\n}',
      'service imap-login {\n  chroot =\n}',
      'service stats {\n  unix_listener stats-writer {\n    mode = 0666\n  }\n}',
      '',
    ].join('\n'),
  );
  const child = spawn(DOVECOT, ['-F', '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  for (let i = 0; i < 100 && !(await reachable(port)); i++) {
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!(await reachable(port))) {
    child.kill();
    throw new Error(`dovecot did not start on port ${port}: ${output}`);
  }
  const connect = async () => {
    const client = new ImapFlow({
      host: '127.0.0.1',
      port,
      secure: false,
      auth: { user, pass: password },
      logger: false,
    });
    await client.connect();
    return client;
  };
  return {
    port,
    user,
    password,
    async append(raw, folder = 'INBOX') {
      const client = await connect();
      try {
        await client.append(folder, raw);
      } finally {
        await client.logout();
      }
    },
    async list(folder = 'INBOX') {
      const client = await connect();
      try {
        const lock = await client.getMailboxLock(folder);
        try {
          const out: { messageId?: string; flags: string[] }[] = [];
          if (!(client.mailbox && client.mailbox.exists)) return out;
          for await (const m of client.fetch('1:*', { envelope: true, flags: true }))
            out.push({ messageId: m.envelope?.messageId, flags: [...(m.flags ?? [])] });
          return out;
        } finally {
          lock.release();
        }
      } finally {
        await client.logout();
      }
    },
    async unsee(messageId, folder = 'INBOX') {
      const client = await connect();
      try {
        const lock = await client.getMailboxLock(folder);
        try {
          const uids =
            (await client.search({ header: { 'message-id': messageId } }, { uid: true })) || [];
          if (!uids.length) throw new Error(`no message ${messageId} in ${folder}`);
          await client.messageFlagsRemove(uids.map(String).join(','), ['\\Seen'], { uid: true });
        } finally {
          lock.release();
        }
      } finally {
        await client.logout();
      }
    },
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      child.stdout.destroy();
      child.stderr.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Whether dovecot is installed here (the tests say so plainly when it is not). */
export const dovecotInstalled = () => {
  try {
    execFileSync(DOVECOT, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
