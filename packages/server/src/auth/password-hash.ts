import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { ApiProblem, problems } from '../problems/api-problem';

/** The longest password accepted, in UTF-8 bytes: longer is a 422 at `/password`, never cut. */
export const MAX_PASSWORD_BYTES = 1024;

/**
 * How many hashes run at once (each in libuv's thread pool, off the event loop) and how many
 * may wait: a flood of logins beyond that is answered 503 with `Retry-After`, so it can neither
 * stall the event loop nor pile up unbounded work. Two leave the pool's other threads to the
 * file system and DNS.
 */
export const HASH_CONCURRENCY = 2;
export const HASH_QUEUE = 64;

/** scrypt cost: N = 2^15, r = 8, p = 1 (32 MiB, about 100 ms on a server core). */
const COST = { ln: 15, r: 8, p: 1 };
const KEY_BYTES = 32;
const SALT_BYTES = 16;

/** `$scrypt$ln=15,r=8,p=1$<salt>$<hash>` (PHC string format, unpadded base64). */
const SCRYPT_FORMAT =
  /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;
/** Hashes written by earlier versions (bcryptjs, cost 10). */
const BCRYPT_FORMAT = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;

const b64 = (buffer: Buffer) => buffer.toString('base64').replace(/=+$/, '');

/** The problem for a password over {@link MAX_PASSWORD_BYTES}, or undefined. */
export function passwordTooLong(password: string, path = '/password'): ApiProblem | undefined {
  const bytes = Buffer.byteLength(password, 'utf8');
  if (bytes <= MAX_PASSWORD_BYTES) return undefined;
  return problems.invalidBody([
    {
      path,
      code: 'too_long',
      message: `must be at most ${MAX_PASSWORD_BYTES} bytes (UTF-8); this one is ${bytes}`,
    },
  ]);
}

/** A counting gate with a bounded queue: past the queue, a 503 problem with Retry-After. */
class HashGate {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= HASH_CONCURRENCY) {
      if (this.waiting.length >= HASH_QUEUE)
        throw problems.busy(
          'Too many sign-ins are being checked at once: try again in a moment',
          1,
        );
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else this.running++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

const gate = new HashGate();

function scryptKey(password: string, salt: Buffer, cost = COST): Promise<Buffer> {
  const N = 2 ** cost.ln;
  return new Promise((resolve, reject) =>
    scrypt(
      password.normalize('NFC'),
      salt,
      KEY_BYTES,
      { N, r: cost.r, p: cost.p, maxmem: 256 * N * cost.r },
      (error, key) => (error ? reject(error) : resolve(key)),
    ),
  );
}

/** Hashes a password with scrypt, off the event loop, through the bounded gate. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await gate.run(() => scryptKey(password, salt));
  return `$scrypt$ln=${COST.ln},r=${COST.r},p=${COST.p}$${b64(salt)}$${b64(key)}`;
}

/** The result of {@link verifyPassword}: whether it matched, and whether to store a new hash. */
export interface Verified {
  ok: boolean;
  /** The hash is bcrypt or of an older cost: store `hashPassword(password)` after a match. */
  rehash: boolean;
}

/**
 * Checks a password against a stored hash: scrypt hashes in libuv's pool, legacy bcrypt
 * hashes in a worker thread — never on the event loop. `stored` null or unreadable (an
 * unknown account) is checked against a dummy hash of the same cost, so it takes as long.
 */
export async function verifyPassword(password: string, stored: string | null): Promise<Verified> {
  const scryptHash = stored ? SCRYPT_FORMAT.exec(stored) : null;
  if (scryptHash) {
    const [, ln, r, p, salt, expected] = scryptHash;
    const cost = { ln: Number(ln), r: Number(r), p: Number(p) };
    const key = await gate.run(() => scryptKey(password, Buffer.from(salt, 'base64'), cost));
    const want = Buffer.from(expected, 'base64');
    const ok = key.length === want.length && timingSafeEqual(key, want);
    return { ok, rehash: cost.ln !== COST.ln || cost.r !== COST.r || cost.p !== COST.p };
  }
  if (stored && BCRYPT_FORMAT.test(stored)) {
    // bcrypt reads only the first 72 bytes: a longer password cannot be told apart, so it
    // never matches (the person resets it); a shorter one is checked and then rehashed.
    if (Buffer.byteLength(password, 'utf8') > 72) return { ok: false, rehash: false };
    const ok = await gate.run(() => bcryptCompare(password, stored));
    return { ok, rehash: ok };
  }
  await verifyPassword(password, await dummyHash());
  return { ok: false, rehash: false };
}

let dummy: Promise<string> | undefined;
/** A hash of a random password, made once: what an unknown account is checked against. */
function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(16).toString('base64'));
  return dummy;
}

// Legacy bcrypt in a worker thread (bcryptjs is JavaScript: on the event loop it would block).
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const bcrypt = require(workerData.bcrypt);
parentPort.on('message', ({ id, password, hash }) => {
  bcrypt.compare(password, hash).then(
    (ok) => parentPort.postMessage({ id, ok }),
    () => parentPort.postMessage({ id, ok: false }),
  );
});`;
let worker: Worker | undefined;
let nextId = 0;
const pending = new Map<number, (ok: boolean) => void>();

function bcryptCompare(password: string, hash: string): Promise<boolean> {
  if (!worker) {
    const started = new Worker(WORKER, {
      eval: true,
      workerData: { bcrypt: require.resolve('bcryptjs') },
    });
    started.on('message', ({ id, ok }: { id: number; ok: boolean }) => {
      pending.get(id)?.(ok);
      pending.delete(id);
      if (!pending.size) started.unref();
    });
    started.on('error', () => {
      for (const done of pending.values()) done(false);
      pending.clear();
      worker = undefined;
    });
    worker = started;
  }
  const id = nextId++;
  worker.ref();
  return new Promise((resolve) => {
    pending.set(id, resolve);
    worker!.postMessage({ id, password, hash });
  });
}
