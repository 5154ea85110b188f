/* eslint-disable @typescript-eslint/no-explicit-any -- an action map is heterogeneous: each action declares its own input and output types, checked at run time by their schemas. */
import type { SmtpTransports } from '../builtins/smtp-transports';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { HttpClient } from '../http/http-client';
import { schemaAjv } from './schema-ajv';

/** A JSON Schema (draft 2020-12 subset ajv understands). */
export type JsonSchema = Record<string, unknown>;

/** How often and how patiently the runtime tries an action. Declared, never coded in `run`. */
export interface RetryPolicy {
  /** Attempts in all, the first included (default 5). */
  attempts?: number;
  /** First back-off; doubled each attempt, with full jitter (default 1,000 ms). */
  backoffMs?: number;
  /** Longest back-off (default 60,000 ms). */
  maxBackoffMs?: number;
}

/** Where an action's log lines go; credentials are redacted before they get here. */
export interface ConnectorLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

/** What `run` gets besides its input. */
export interface ActionContext<Settings = Record<string, unknown>> {
  /** The only way out: keep-alive pooled, address-checked, size- and time-capped. */
  http: HttpClient;
  /** Aborted on timeout or shutdown: pass it on to anything long. */
  signal: AbortSignal;
  log: ConnectorLog;
  /** The instance's decrypted credential, if it has one. */
  credentials: Record<string, string>;
  /** The instance's settings, validated against the connector's `settings` schema. */
  settings: Settings;
  /** Stable across retries of one effect: send it on, so the other side applies it once. */
  idempotencyKey: string;
  /** Pooled SMTP connections, when the runner keeps them (the server does); else one per message. */
  smtp?: SmtpTransports;
}

/** One action: its input and output schemas and what it does. */
export interface ActionDefinition<Input = any, Output = any, Settings = any> {
  title?: string;
  description?: string;
  input: JsonSchema;
  output: JsonSchema;
  retry?: RetryPolicy;
  /** Longest one attempt may take (default 30 s). */
  timeoutMs?: number;
  /** Calls per second across the instance (default: unlimited). */
  rateLimit?: { perSecond: number };
  run(ctx: ActionContext<Settings>, input: Input): Promise<Output>;
}

/** A connector: a typed file a developer writes to let flows reach one kind of system. */
export interface ConnectorDefinition<Settings = any> {
  /** Referenced by flows as a connector instance's `type`: lower-case, digits, dashes. */
  id: string;
  /** Semantic version of the connector. */
  version: string;
  title?: string;
  description?: string;
  /** Schema of the credential object (API key, token, user and password…). */
  auth?: JsonSchema;
  /** Schema of an instance's settings (base URL, account, region…). */
  settings?: JsonSchema;
  actions: Record<string, ActionDefinition<any, any, Settings>>;
  /**
   * Where an instance with these settings (defaults filled in) sends its credential: publishing
   * a flow checks each against the credential's hosts, naming the setting. A connector whose
   * destination is in the credential itself (a Slack webhook URL) declares none; the HTTP
   * client still refuses any request outside the credential's hosts.
   */
  endpoints?(settings: Settings): ConnectorEndpoint[];
}

/** A destination an instance's settings name: the setting (a JSON pointer) and its host:port. */
export interface ConnectorEndpoint {
  /** Where in the settings: `/baseUrl`, `/host`. */
  setting: string;
  host: string;
  port: number;
}

/** The endpoint of a URL setting, or none when the value is not an http(s) URL. */
export function urlEndpoint(setting: string, url: unknown): ConnectorEndpoint[] {
  if (typeof url !== 'string') return [];
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return [];
    const port = parsed.port ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80;
    return [{ setting, host: parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase(), port }];
  } catch {
    return [];
  }
}

/** A connector with its schemas compiled, ready for the runtime. */
export interface Connector<Settings = any> extends ConnectorDefinition<Settings> {
  validators: {
    settings?: ValidateFunction;
    auth?: ValidateFunction;
    actions: Record<string, { input: ValidateFunction; output: ValidateFunction }>;
  };
}

const ajv = schemaAjv({ useDefaults: true });
const ID = /^[a-z][a-z0-9-]{0,63}$/;
const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

function compile(schema: JsonSchema, where: string): ValidateFunction {
  try {
    return ajv.compile(schema);
  } catch (error) {
    throw new Error(`${where}: not a valid JSON Schema: ${(error as Error).message}`);
  }
}

/**
 * Declares a connector. Checks it now — id, version, every schema compiles — so that a
 * mistake fails where it is written, not when a flow first calls it.
 */
export function defineConnector<Settings = Record<string, unknown>>(
  definition: ConnectorDefinition<Settings>,
): Connector<Settings> {
  const where = `connector "${definition.id}"`;
  if (!ID.test(definition.id))
    throw new Error(`${where}: the id must be lower-case letters, digits and dashes`);
  if (!SEMVER.test(definition.version))
    throw new Error(`${where}: version "${definition.version}" is not semantic (1.2.3)`);
  const names = Object.keys(definition.actions);
  if (!names.length) throw new Error(`${where}: declares no actions`);
  const actions: Connector['validators']['actions'] = {};
  for (const name of names) {
    const action = definition.actions[name];
    if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(name))
      throw new Error(`${where}: action name "${name}" must be letters, digits, _ or -`);
    if (typeof action.run !== 'function') throw new Error(`${where}.${name}: run is missing`);
    actions[name] = {
      input: compile(action.input, `${where}.${name}.input`),
      output: compile(action.output, `${where}.${name}.output`),
    };
  }
  return {
    ...definition,
    validators: {
      ...(definition.settings && { settings: compile(definition.settings, `${where}.settings`) }),
      ...(definition.auth && { auth: compile(definition.auth, `${where}.auth`) }),
      actions,
    },
  };
}

/** Ajv's errors as `/path: message` lines. */
export const describeErrors = (errors: ErrorObject[] | null | undefined): string =>
  (errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? 'is invalid'}`).join('; ');
