/** The English texts of the template deploy form (connector settings and credentials). */
export const deployEn = {
  title: 'Deploy {{name}}',
  intro:
    "Each connector's address and credential. The defaults are the template's demo: the fake systems on this machine and placeholder secrets. Change them to point the flow at your systems.",
  loading: 'Loading the connectors…',
  cancel: 'Cancel',
  defaults: 'demo default (fake system)',
  changed: 'your system',
  credential: 'Credential',
  credentialState: { placeholder: 'placeholder', stored: 'stored', optional: 'optional' },
  credentialHint: {
    placeholder:
      'Not stored yet: a random placeholder secret is stored unless you type the real value here. Replace it later under Integrations.',
    stored: 'Already stored: leave the fields empty to keep it, or type new values to replace it.',
    optional: 'Only if your system needs one (say, with the API key or bearer authentication).',
  },
  credentialPlaceholder: {
    placeholder: 'random placeholder',
    stored: 'stored (unchanged)',
    optional: 'none',
  },
  bad: {
    number: 'Not a number',
    lines: 'One "Name: value" per line',
    json: 'Not valid JSON',
  },
  connectorTypes: {
    http: 'HTTP (any REST API)',
    webhook: 'Outbound webhook',
    email: 'Email (SMTP)',
    wecom: 'WeCom group robot',
    dingtalk: 'DingTalk group robot',
    slack: 'Slack incoming webhook',
  },
  setting: {
    baseUrl: 'Base URL',
    auth: 'Authentication',
    apiKeyHeader: 'API key header',
    headers: 'Extra headers (Name: value per line)',
    url: 'URL',
    host: 'Host',
    port: 'Port',
    secure: 'TLS',
    from: 'From',
    to: 'To',
    apiKey: 'API key',
    token: 'Token',
    username: 'User name',
    password: 'Password',
    secret: 'Secret',
    key: 'Key',
    accessToken: 'Access token',
  },
  choice: {
    auth: { none: 'none', apiKey: 'API key', bearer: 'bearer token', basic: 'user and password' },
  },
};
