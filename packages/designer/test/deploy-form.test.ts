import {
  type ConnectorInfo,
  deployConnectors,
  fromInput,
  initialValues,
  inputKind,
  instanceForms,
  keepsDefaults,
} from '../src/model/deploy-form';

const http: ConnectorInfo = {
  id: 'http',
  title: 'HTTP',
  settings: {
    required: ['baseUrl'],
    properties: {
      baseUrl: { type: 'string', format: 'uri' },
      auth: { enum: ['none', 'apiKey', 'bearer', 'basic'], default: 'none' },
      timeoutMs: { type: 'integer' },
      headers: { type: 'object', additionalProperties: { type: 'string' } },
    },
  },
  auth: { properties: { apiKey: { type: 'string' }, token: { type: 'string' } } },
};
const flow = {
  bank: {
    type: 'http',
    settings: { baseUrl: 'http://127.0.0.1:4105', auth: 'bearer' },
    credential: 'bank-api',
  },
  crm: { type: 'http', settings: { baseUrl: 'http://127.0.0.1:4101' } },
};
const forms = instanceForms(flow, [http], [{ name: 'bank-api', fields: ['token'] }]);

describe('deploy form model', () => {
  it('asks what the settings schema has, filled with the template, then the defaults', () => {
    expect(forms[0].settings.map((s) => [s.name, s.kind, s.initial])).toEqual([
      ['baseUrl', 'text', 'http://127.0.0.1:4105'],
      ['auth', 'choice', 'bearer'],
      ['timeoutMs', 'number', ''],
      ['headers', 'lines', ''],
    ]);
    expect(forms[1].settings[1].initial).toBe('none');
    // The template's credential fields; an instance naming none: the connector's auth fields.
    expect(forms[0].credentialFields).toEqual(['token']);
    expect(forms[1].credentialFields).toEqual(['apiKey', 'token']);
    expect(inputKind({ type: 'boolean' })).toBe('boolean');
    expect(inputKind({ type: 'object' })).toBe('json');
  });

  it('sends nothing when the defaults are kept: the flow keeps the fake systems', () => {
    const values = initialValues(forms);
    expect(keepsDefaults(forms[0], values)).toBe(true);
    expect(deployConnectors(forms, values)).toEqual({ connectors: {}, errors: {} });
  });

  it('sends only what changed, and the credential fields typed', () => {
    const values = initialValues(forms);
    values.bank.settings.baseUrl = 'https://api.bank.example';
    values.bank.settings.headers = 'X-Tenant: north\nX-Env: prod';
    values.bank.credential.token = 'secret';
    values.crm.settings.timeoutMs = '2500';
    expect(keepsDefaults(forms[0], values)).toBe(false);
    expect(deployConnectors(forms, values)).toEqual({
      connectors: {
        bank: {
          settings: {
            baseUrl: 'https://api.bank.example',
            headers: { 'X-Tenant': 'north', 'X-Env': 'prod' },
          },
          credential: { token: 'secret' },
        },
        crm: { settings: { timeoutMs: 2500 } },
      },
      errors: {},
    });
  });

  it('names an input that is not a value by its path in the request', () => {
    const values = initialValues(forms);
    values.crm.settings.timeoutMs = 'soon';
    values.crm.settings.headers = 'no colon';
    expect(deployConnectors(forms, values).errors).toEqual({
      '/connectors/crm/settings/timeoutMs': 'number',
      '/connectors/crm/settings/headers': 'lines',
    });
    expect(fromInput('json', '{"a":1}')).toEqual({ value: { a: 1 } });
    expect(fromInput('json', '{')).toEqual({ error: 'json' });
  });
});
