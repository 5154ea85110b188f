import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { precompress } from '../build/precompress';

describe('precompress', () => {
  it('writes brotli and gzip copies of text assets that gain from it, and nothing else', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ordo-precompress-'));
    mkdirSync(path.join(dir, 'assets'));
    const js = path.join(dir, 'assets', 'index-abc.js');
    const text = 'export const x = "ordo";\n'.repeat(200);
    writeFileSync(js, text);
    writeFileSync(path.join(dir, 'assets', 'tiny.js'), 'export {};');
    writeFileSync(path.join(dir, 'assets', 'logo.png'), Buffer.alloc(4096, 7));

    expect(precompress(dir)).toEqual([js]);
    expect(brotliDecompressSync(readFileSync(`${js}.br`)).toString()).toBe(text);
    expect(gunzipSync(readFileSync(`${js}.gz`)).toString()).toBe(text);
    expect(readFileSync(`${js}.br`).length).toBeLessThan(text.length / 10);
    expect(existsSync(path.join(dir, 'assets', 'tiny.js.br'))).toBe(false);
    expect(existsSync(path.join(dir, 'assets', 'logo.png.br'))).toBe(false);
  });
});
