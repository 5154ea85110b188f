/** The Simulate tab and its what-if comparison (English). */

export const simulateEn = {
  asSystem:
    'As the system (a webhook or a timer): fields and transitions only the system may change',
  data: 'Test order data',
  roles: 'Roles of the actor',
  create: 'Create test order',
  reset: 'Reset',
  state: 'State',
  events: 'Transitions',
  fire: 'Fire',
  blocked: 'Blocked',
  history: 'Path',
  refused: 'Refused',
  nothingPersisted: 'Runs in the browser with the draft; nothing is saved.',
  calls: 'Open connector calls',
  answer: 'Answer (JSON), or the error for a failure',
  succeed: 'Answer',
  fail: 'Fail',
};

export const whatIfEn = {
  title: 'What if',
  explain:
    "Runs the scenario on the server in virtual time, on the saved draft and on the published version with one seed, and compares the figures. The scenario is the template's scenario.json (a flow deployed from a template); other flows are simulated with ordo simulate <flow.json> --scenario <file>.",
  unpublished: 'Publish a version first: the draft is compared with it.',
  invalid:
    'Fix the problems of the draft first (Problems tab): a draft with errors cannot be simulated.',
  days: 'Simulated days',
  seed: 'Seed',
  run: 'Run what-if',
  draft: 'Draft',
  published: 'Published v{{version}}',
  figure: 'Figure',
  before: 'Before (manual)',
  difference: 'Draft − published',
  status: {
    queued: 'waiting',
    running: 'running',
    done: 'done',
    failed: 'failed',
    cancelled: 'cancelled',
    interrupted: 'interrupted',
  },
  interrupted: 'The server stopped while this simulation ran: run it again.',
  dashboard: 'Open its dashboard',
  group: {
    table: 'Table',
    orders: 'Orders',
    measure: 'Median',
    counter: 'Counter',
    utilisation: 'Utilisation',
  },
  orderFigures: { created: 'created', shipped: 'shipped' },
  units: { h: 'h' },
};
