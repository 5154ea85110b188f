// Prints the workspace's test totals (written by scripts/jest-totals-reporter.js) as one
// closing line: "tests: N passed, N failed, N skipped".
import { existsSync, readFileSync } from 'node:fs';

const file = new URL('../.test-results/totals.jsonl', import.meta.url);
const runs = existsSync(file)
  ? readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
  : [];
const sum = (k) => runs.reduce((n, r) => n + r[k], 0);
for (const r of runs) console.log(`  ${r.cwd}: ${r.passed} passed, ${r.failed} failed`);
console.log(`tests: ${sum('passed')} passed, ${sum('failed')} failed, ${sum('skipped')} skipped`);
