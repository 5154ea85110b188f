import { type IncomingHttpHeaders, request } from 'node:http';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gzipSync, gunzipSync } from 'node:zlib';
import { databaseKinds, startTestApp, type TestApp } from './support/test-app';

/**
 * The built designer served precompressed: the `.br` or `.gz` copy the build writes beside an
 * asset goes to a client that accepts it, with its Content-Encoding; the raw file otherwise.
 */
const script = `export const hello = ${JSON.stringify('ordo '.repeat(4000))};\n`;

function designerDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ordo-designer-dist-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><script src="/assets/index-abc.js">');
  const asset = path.join(dir, 'assets', 'index-abc.js');
  writeFileSync(asset, script);
  writeFileSync(`${asset}.br`, brotliCompressSync(script));
  writeFileSync(`${asset}.gz`, gzipSync(script));
  // An asset the build left uncompressed (too small to gain): always the raw file.
  writeFileSync(path.join(dir, 'assets', 'tiny-abc.js'), 'export {};\n');
  return dir;
}

describe.each(databaseKinds())('designer assets on %s', (db) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ db, config: { designerDir: designerDir() } });
  });
  afterAll(() => app.close());

  /** A GET with exactly these headers, the body as sent (fetch would add and decode gzip). */
  const get = (route: string, acceptEncoding?: string) =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) =>
      request(
        `${app.url}${route}`,
        { headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({
              status: response.statusCode!,
              headers: response.headers,
              body: Buffer.concat(chunks),
            }),
          );
        },
      )
        .on('error', reject)
        .end(),
    );

  it('sends the brotli copy to a client that accepts br', async () => {
    const response = await get('/assets/index-abc.js', 'br');
    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBe('br');
    expect(response.headers['content-type']).toMatch(/javascript/);
    expect(response.headers['vary']).toMatch(/accept-encoding/i);
    const body = response.body;
    expect(body.length).toBeLessThan(script.length / 10);
    expect(brotliDecompressSync(body).toString()).toBe(script);
  });

  it('prefers brotli, then gzip, in the order the server supports', async () => {
    const both = await get('/assets/index-abc.js', 'gzip, deflate, br');
    expect(both.headers['content-encoding']).toBe('br');
    const gzip = await get('/assets/index-abc.js', 'gzip');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body).toString()).toBe(script);
  });

  it('sends the raw file without an accepted encoding, or when no copy exists', async () => {
    for (const accept of [undefined, 'identity', 'deflate']) {
      const response = await get('/assets/index-abc.js', accept);
      expect(response.headers['content-encoding']).toBeUndefined();
      expect(response.body.toString()).toBe(script);
    }
    const tiny = await get('/assets/tiny-abc.js', 'br');
    expect(tiny.headers['content-encoding']).toBeUndefined();
    expect(tiny.body.toString()).toBe('export {};\n');
  });

  it('lets browsers keep hashed assets and revalidate index.html', async () => {
    const asset = await get('/assets/index-abc.js', 'br');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const index = await get('/');
    expect(index.headers['cache-control']).toBe('no-cache');
    // A route of the single-page app is index.html too.
    const route = await get('/flows/x');
    expect(route.status).toBe(200);
    expect(route.body.toString()).toContain('/assets/index-abc.js');
  });

  it('answers a missing asset with the app, never a compressed copy of something else', async () => {
    const response = await get('/assets/missing.js', 'br');
    expect(response.headers['content-encoding']).toBeUndefined();
    // The single-page app's fallback: index.html, uncompressed, as for any unknown route.
    expect(response.body.toString()).toContain('<!doctype html>');
  });

  it('does not serve files outside the designer folder', async () => {
    for (const route of ['/assets/..%2f..%2f..%2f..%2fetc%2fpasswd', '/../../etc/passwd'])
      expect((await get(route, 'br')).body.toString()).not.toContain('root:');
  });
});
