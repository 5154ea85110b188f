#!/usr/bin/env node
// Starts every fake system on loopback, ports 4101–4115 (FAKE_SYSTEMS_PORT_BASE moves them).
const { startFakeSystems } = require('../dist');

const portBase = Number(process.env.FAKE_SYSTEMS_PORT_BASE ?? 4101);
startFakeSystems({ portBase }).then(({ urls, close }) => {
  for (const [name, url] of Object.entries(urls)) console.log(`${name.padEnd(10)} ${url}`);
  const stop = () => close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
});
