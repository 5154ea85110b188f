export * from './builtins';
export {
  type AddressPolicy,
  addressRange,
  allowPatterns,
  BlockedAddressError,
  checkAddress,
  isBlockedAddress,
} from './http/address-guard';
export {
  checkCredentialHost,
  credentialHostsOf,
  type RequestCredential,
} from './http/credential-guard';
export {
  CredentialHosts,
  endpointOf,
  formatEndpoint,
  type HostPattern,
  HostPatternError,
  hostPatternProblem,
  type HostPatternUse,
  matchesHostPattern,
  parseHostPattern,
} from './http/host-pattern';
export {
  ensureOk,
  type HttpClient,
  type HttpClientOptions,
  type HttpRequest,
  type HttpResponse,
  SafeHttpClient,
} from './http/http-client';
export { ConnectorError, isRetryableStatus } from './sdk/connector-error';
export {
  type ActionContext,
  type ActionDefinition,
  type Connector,
  type ConnectorDefinition,
  type ConnectorEndpoint,
  type ConnectorLog,
  defineConnector,
  describeErrors,
  type JsonSchema,
  type RetryPolicy,
  urlEndpoint,
} from './sdk/define-connector';
export { backoffDelay, RateLimiter, retryAfterMs, retryPolicy } from './sdk/retry-policy';
export { runAction, type RunActionOptions } from './sdk/run-action';
export {
  generateWebhookSecret,
  signWebhook,
  verifyWebhook,
  WEBHOOK_ID_MAX_LENGTH,
  WEBHOOK_SECRET_PREFIX,
  WEBHOOK_TOLERANCE_SECONDS,
  type WebhookHeaders,
  type WebhookRefusal,
  WebhookVerificationError,
  webhookKey,
  webhookSecretProblem,
} from './webhooks/standard-webhooks';
