#!/usr/bin/env node
// The `ordo` command. Built code lives in dist/ (pnpm build).
const { runCli } = require('../dist/cli/main.js');

runCli(process.argv.slice(2)).then((code) => {
  if (process.argv[2] !== 'start') process.exit(code);
  else if (code !== 0) process.exit(code);
});
