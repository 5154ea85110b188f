import type { SmtpTransports } from '../builtins/smtp-transports';
import { credentialHostsOf, type RequestCredential } from '../http/credential-guard';
import type { HttpClient } from '../http/http-client';
import { ConnectorError } from './connector-error';
import { type Connector, type ConnectorLog, describeErrors } from './define-connector';
import { blankSecrets, redactingLog, secretValues } from './redacting-log';

/** Everything one attempt of an action needs. */
export interface RunActionOptions {
  input: unknown;
  settings?: Record<string, unknown>;
  credentials?: Record<string, string>;
  /**
   * Where the credential may be sent: host:port patterns (`api.bank.example:443`,
   * `*.crm.example:443`, `127.0.0.1:*`). Required when `credentials` has any field: every
   * request of the attempt, every redirect hop included, must go to one of them.
   */
  credentialHosts?: readonly string[];
  /** The credential's name, for messages. */
  credentialName?: string;
  http: HttpClient;
  idempotencyKey: string;
  /** Cap of this attempt; the action's own `timeoutMs` wins when shorter. */
  timeoutMs?: number;
  signal?: AbortSignal;
  log?: ConnectorLog;
  /** The runner's SMTP pools (ActionContext.smtp). */
  smtp?: SmtpTransports;
}

const silent: ConnectorLog = { info: () => undefined, warn: () => undefined };

/**
 * One attempt of an action: settings, credential and input checked against their schemas,
 * `run` under a timeout, its output checked. Any failure is a ConnectorError that says whether
 * another attempt could help; bad input or output never can.
 */
export async function runAction(
  connector: Connector,
  actionName: string,
  options: RunActionOptions,
): Promise<unknown> {
  const action = connector.actions[actionName];
  const validators = connector.validators.actions[actionName];
  if (!action || !validators)
    throw new ConnectorError(
      `Connector "${connector.id}" has no action "${actionName}" (it has: ${Object.keys(connector.actions).join(', ')})`,
      { retryable: false, code: 'unknown_action' },
    );
  const settings = cloneData(options.settings ?? {});
  const check = (ok: boolean | undefined, what: string, errors: unknown) => {
    if (!ok)
      throw new ConnectorError(
        `${connector.id}.${actionName}: invalid ${what}: ${describeErrors(errors as never)}`,
        { retryable: false, code: `invalid_${what}` },
      );
  };
  const { settings: settingsOk, auth: authOk } = connector.validators;
  if (settingsOk) check(settingsOk(settings), 'settings', settingsOk.errors);
  if (authOk) check(authOk(options.credentials ?? {}), 'credentials', authOk.errors);
  const input = cloneData(options.input);
  check(validators.input(input), 'input', validators.input.errors);

  const credential = credentialOf(connector, actionName, options);
  const timeoutMs = Math.min(action.timeoutMs ?? 30_000, options.timeoutMs ?? Infinity);
  // A controller and a timer cleared at the end, not AbortSignal.timeout: on Node 20 that costs
  // some 30× more per attempt, and its timer outlives every attempt that ends in time.
  const deadline = new AbortController();
  const timer = setTimeout(
    () => deadline.abort(new DOMException('The operation timed out.', 'TimeoutError')),
    Math.min(timeoutMs, MAX_TIMER_MS),
  );
  const signal = options.signal
    ? AbortSignal.any([options.signal, deadline.signal])
    : deadline.signal;
  const http: HttpClient = {
    policy: options.http.policy,
    credential,
    // Every request of the attempt carries the effect's key, the attempt's deadline and the
    // credential (so the client sends it only to its hosts).
    request: (request) =>
      options.http.request({
        ...request,
        headers: { 'idempotency-key': options.idempotencyKey, ...request.headers },
        signal: request.signal ? AbortSignal.any([request.signal, signal]) : signal,
        ...(credential && { credential }),
      }),
  };
  let output: unknown;
  try {
    output = await Promise.race([
      action.run(
        {
          http,
          signal,
          log: redactingLog(options.log ?? silent, options.credentials),
          credentials: options.credentials ?? {},
          settings,
          idempotencyKey: options.idempotencyKey,
          ...(options.smtp && { smtp: options.smtp }),
        },
        input,
      ),
      new Promise((_, reject) =>
        signal.addEventListener('abort', () => reject(signal.reason), { once: true }),
      ),
    ]);
  } catch (error) {
    throw redacted(
      asAttemptError(error, connector.id, actionName, signal, timeoutMs),
      options.credentials,
    );
  } finally {
    clearTimeout(timer);
  }
  check(validators.output(output), 'output', validators.output.errors);
  return output;
}

/** The longest delay setTimeout keeps (a longer one would fire at once). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * A copy of settings or input, so that an action cannot change what its caller keeps (a
 * flow's settings are shared by every call). Plain objects and arrays — what flows hold — are
 * copied directly, several times faster than structuredClone; anything else goes through it.
 */
function cloneData<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(cloneData) as T;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return structuredClone(value);
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = cloneData((value as Record<string, unknown>)[key]);
    // An own "__proto__" (JSON.parse makes one) stays a property, never the copy's prototype.
    if (key === '__proto__')
      Object.defineProperty(copy, key, {
        value: item,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else copy[key] = item;
  }
  return copy as T;
}

/**
 * The credential the attempt's requests carry, or undefined when it has none. A credential
 * without hosts is refused here: nothing may carry a secret to wherever a flow points.
 */
function credentialOf(
  connector: Connector,
  actionName: string,
  options: RunActionOptions,
): RequestCredential | undefined {
  const secrets = Object.values(options.credentials ?? {}).filter(
    (v): v is string => typeof v === 'string' && v !== '',
  );
  if (!secrets.length) return undefined;
  if (!options.credentialHosts)
    throw new ConnectorError(
      `${connector.id}.${actionName}: a credential is given without the hosts it may be sent to (credentialHosts)`,
      { retryable: false, code: 'credential_host' },
    );
  const credential: RequestCredential = {
    name: options.credentialName,
    hosts: options.credentialHosts,
    secrets,
  };
  try {
    credentialHostsOf(credential);
  } catch (error) {
    throw new ConnectorError(`${connector.id}.${actionName}: ${(error as Error).message}`, {
      retryable: false,
      code: 'credential_host',
    });
  }
  return credential;
}

/** A failed attempt as a ConnectorError saying whether another attempt could help. */
function asAttemptError(
  error: unknown,
  connectorId: string,
  actionName: string,
  signal: AbortSignal,
  timeoutMs: number,
): ConnectorError {
  if (error instanceof ConnectorError) return error;
  if (signal.aborted)
    return new ConnectorError(`${connectorId}.${actionName} took longer than ${timeoutMs} ms`, {
      retryable: true,
      code: 'timeout',
      cause: error,
    });
  // An unexpected throw is a bug in the connector or a surprise from the other side: retry.
  return new ConnectorError(`${connectorId}.${actionName} failed: ${(error as Error).message}`, {
    retryable: true,
    code: 'failed',
    cause: error,
  });
}

/**
 * The error with every credential value blanked out of its message: a token in a URL (WeCom's
 * key, DingTalk's access_token) must not reach the effect's error, the API or a log line.
 */
function redacted(error: ConnectorError, credentials: Record<string, string> = {}): ConnectorError {
  const message = blankSecrets(error.message, secretValues(credentials));
  if (message === error.message) return error;
  return new ConnectorError(message, {
    retryable: error.retryable,
    code: error.code,
    status: error.status,
  });
}
