/**
 * The gallery's deploy form as data: which inputs a connector's settings schema asks for, their
 * defaults (the template's settings, else the schema's defaults), and the deploy request's
 * `connectors` from what the user changed — pure, so it is tested without a browser.
 */

/** The part of a JSON schema property the form reads. */
export interface SchemaProperty {
  type?: string | string[];
  enum?: unknown[];
  default?: unknown;
  format?: string;
  title?: string;
  additionalProperties?: unknown;
}

/** An object schema: a connector's `settings` or `auth`. */
export interface ObjectSchema {
  properties?: Record<string, SchemaProperty>;
  required?: string[];
}

/** A connector as `GET /api/connectors` describes it. */
export interface ConnectorInfo {
  id: string;
  title: string;
  settings: ObjectSchema | null;
  auth: ObjectSchema | null;
}

/** How a property is edited: a text box, a number, a tick, a choice, `Name: value` lines, JSON. */
export type InputKind = 'text' | 'number' | 'boolean' | 'choice' | 'lines' | 'json';

export function inputKind(p: SchemaProperty): InputKind {
  if (p.enum) return 'choice';
  const type = Array.isArray(p.type) ? p.type.find((t) => t !== 'null') : p.type;
  if (type === 'boolean') return 'boolean';
  if (type === 'number' || type === 'integer') return 'number';
  if (type === 'object') {
    const values = p.additionalProperties as SchemaProperty | undefined;
    return values && typeof values === 'object' && values.type === 'string' ? 'lines' : 'json';
  }
  return type === 'string' || type === undefined ? 'text' : 'json';
}

/** A value as its input shows it. */
export function toInput(kind: InputKind, value: unknown): string | boolean {
  if (kind === 'boolean') return value === true;
  if (value === undefined || value === null) return '';
  if (kind === 'lines')
    return Object.entries(value as Record<string, string>)
      .map(([name, v]) => `${name}: ${v}`)
      .join('\n');
  if (kind === 'json') return JSON.stringify(value);
  return String(value);
}

/** An input back as a value, or why it is not one (the server checks the rest). */
export function fromInput(
  kind: InputKind,
  input: string | boolean,
): { value: unknown } | { error: 'number' | 'lines' | 'json' } {
  if (kind === 'boolean') return { value: input === true };
  const text = String(input);
  if (kind === 'number') {
    const n = Number(text);
    return text.trim() !== '' && Number.isFinite(n) ? { value: n } : { error: 'number' };
  }
  if (kind === 'lines') {
    const entries: [string, string][] = [];
    for (const line of text.split('\n').filter((l) => l.trim())) {
      const at = line.indexOf(':');
      if (at < 1) return { error: 'lines' };
      entries.push([line.slice(0, at).trim(), line.slice(at + 1).trim()]);
    }
    return { value: Object.fromEntries(entries) };
  }
  if (kind === 'json') {
    try {
      return { value: JSON.parse(text) };
    } catch {
      return { error: 'json' };
    }
  }
  return { value: text };
}

/** A connector instance of the template's flow, as the form shows it. */
export interface InstanceForm {
  name: string;
  type: string;
  /** The settings' properties with their kinds and the inputs' defaults. */
  settings: { name: string; kind: InputKind; schema: SchemaProperty; initial: string | boolean }[];
  /** The credential it sends (the template's name), if it names one. */
  credential?: string;
  /** The credential's fields: the template's, else the connector's `auth` properties. */
  credentialFields: string[];
}

/** The form of each connector instance of a flow. */
export function instanceForms(
  connectors: Record<
    string,
    { type: string; settings?: Record<string, unknown>; credential?: string }
  >,
  described: ConnectorInfo[],
  templateCredentials: { name: string; fields: string[] }[],
): InstanceForm[] {
  return Object.entries(connectors).map(([name, instance]) => {
    const info = described.find((c) => c.id === instance.type);
    const properties = info?.settings?.properties ?? {};
    const credential = instance.credential;
    return {
      name,
      type: instance.type,
      settings: Object.entries(properties).map(([prop, schema]) => {
        const kind = inputKind(schema);
        return {
          name: prop,
          kind,
          schema,
          initial: toInput(kind, instance.settings?.[prop] ?? schema.default),
        };
      }),
      credential,
      credentialFields:
        templateCredentials.find((c) => c.name === credential)?.fields ??
        Object.keys(info?.auth?.properties ?? {}),
    };
  });
}

/** What the user typed: by instance, its settings' inputs and its credential's fields. */
export type FormValues = Record<
  string,
  { settings: Record<string, string | boolean>; credential: Record<string, string> }
>;

export function initialValues(forms: InstanceForm[]): FormValues {
  return Object.fromEntries(
    forms.map((f) => [
      f.name,
      {
        settings: Object.fromEntries(f.settings.map((s) => [s.name, s.initial])),
        credential: Object.fromEntries(f.credentialFields.map((field) => [field, ''])),
      },
    ]),
  );
}

/**
 * The deploy request's `connectors`: only what differs from the template (kept defaults send
 * nothing, so the flow keeps pointing at the fake systems), and the credential fields typed.
 * Inputs that are not values come back as errors by `<instance>/settings/<name>`.
 */
export function deployConnectors(
  forms: InstanceForm[],
  values: FormValues,
): {
  connectors: Record<
    string,
    { settings?: Record<string, unknown>; credential?: Record<string, string> }
  >;
  errors: Record<string, 'number' | 'lines' | 'json'>;
} {
  const connectors: Record<
    string,
    { settings?: Record<string, unknown>; credential?: Record<string, string> }
  > = {};
  const errors: Record<string, 'number' | 'lines' | 'json'> = {};
  for (const form of forms) {
    const typed = values[form.name];
    const settings: Record<string, unknown> = {};
    for (const s of form.settings) {
      const input = typed.settings[s.name];
      if (input === s.initial || (input === '' && s.kind !== 'boolean')) continue;
      const parsed = fromInput(s.kind, input);
      if ('error' in parsed) errors[`/connectors/${form.name}/settings/${s.name}`] = parsed.error;
      else settings[s.name] = parsed.value;
    }
    const credential = Object.fromEntries(
      Object.entries(typed.credential).filter(([, v]) => v !== ''),
    );
    const change = {
      ...(Object.keys(settings).length > 0 && { settings }),
      ...(Object.keys(credential).length > 0 && { credential }),
    };
    if (Object.keys(change).length) connectors[form.name] = change;
  }
  return { connectors, errors };
}

/** Whether an instance still has the template's settings (the demo's fake system). */
export const keepsDefaults = (form: InstanceForm, values: FormValues) =>
  form.settings.every((s) => values[form.name].settings[s.name] === s.initial);
