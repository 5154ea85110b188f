/**
 * `ordo dataset put` on a real database: a file uploaded as the next version, each bad row
 * printed as file:line with nothing written, a missing key column named, and a dry run that
 * says what a version would change.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { drugs, V1 } from './support/drug-codes';
import { ordoWithStandardFlow } from './support/ordo-cli';

describe('ordo dataset put', () => {
  it('uploads a file as the next version, or prints each bad row as file:line and writes nothing', async () => {
    const { run, dir, drop } = await ordoWithStandardFlow('ordo-datasets-');
    try {
      const good = path.join(dir, 'drugs.csv');
      writeFileSync(good, V1);
      const first = await run('dataset', 'put', 'drug-codes', good, '--title', 'Drug codes');
      expect(first.stdout).toContain('drug-codes: version 1 written, 3 row(s): 3 added');
      expect(first.code).toBe(0);

      const bad = path.join(dir, 'bad.csv');
      writeFileSync(bad, drugs([['A100', 'Amoxicillin', 'no', 'fifty', '2027-01-31']]));
      const refused = await run('dataset', 'put', 'drug-codes', bad);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`${bad}:2: column maxQty: "fifty" is not a number`);
      expect(refused.stdout).toContain('nothing written');

      const noKey = await run('dataset', 'put', 'drug-codes', good, '--key-column', 'sku');
      expect(noKey.code).toBe(1);
      expect(noKey.stderr).toContain('--key-column: the file has no column "sku"');
      const again = await run('dataset', 'put', 'drug-codes', good, '--dry-run');
      expect(again.stdout).toContain('drug-codes: unchanged, still version 1');
      writeFileSync(good, V1.replace('Cetirizine', 'Cetirizin'));
      const changed = await run('dataset', 'put', 'drug-codes', good, '--dry-run');
      expect(changed.stdout).toContain(
        'version 2 would have 3 row(s): 0 added, 1 changed, 0 removed',
      );
    } finally {
      await drop();
    }
  }, 120_000);
});
