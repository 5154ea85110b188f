// A jest reporter that appends each run's totals to .test-results/totals.jsonl at the
// repository root, so that `pnpm test` can close with one line for the whole workspace.
const fs = require('node:fs');
const path = require('node:path');

const file = path.join(__dirname, '..', '.test-results', 'totals.jsonl');

class TotalsReporter {
  onRunComplete(_contexts, results) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const line = {
      cwd: process.cwd(),
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
    };
    fs.appendFileSync(file, JSON.stringify(line) + '\n');
  }
}

module.exports = TotalsReporter;
