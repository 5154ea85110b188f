// Writes the flow JSON Schema for editors (Monaco, VS Code) from the single source in src/flow.
const fs = require('node:fs');
const path = require('node:path');
const { flowSchema } = require('../dist/index.js');

const out = path.join(__dirname, '..', 'schema', 'flow.schema.json');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, JSON.stringify(flowSchema, null, 2) + '\n');
