/**
 * The effects benchmark's baseline: reservations sent straight to the WMS by a client of its
 * own — Node's http.request with a keep-alive agent, `concurrency` in flight — as a WMS client
 * would run them. Run as its own process (pinned to the core Ordo gets, so both sides have the
 * same CPU): `node --import tsx lib/wms-client.ts <wms url> <ms> <concurrency>`; prints
 * `rate <reservations per second>`.
 */
import http from 'node:http';
import { postReservation } from './node-post';

const [base, ms, concurrency] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const url = new URL(base);
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });

async function reserve(n: number): Promise<void> {
  const body = JSON.stringify({ orderId: `d-${n}`, lines: [{ sku: `S-${n % 50}`, qty: 1 }] });
  const { status } = await postReservation(agent, url, body, `direct-${n}`);
  if (status !== 201) throw new Error(`reservation: ${status}`);
}

async function main() {
  let n = 0;
  const loop = async (until: number) => {
    let done = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (Date.now() < until) {
          await reserve(n++);
          done++;
        }
      }),
    );
    return done;
  };
  await loop(Date.now() + 300); // warm-up
  const done = await loop(Date.now() + ms);
  console.log(`rate ${(done / ms) * 1000}`);
  agent.destroy();
}

void main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
