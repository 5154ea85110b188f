export * from './builtins';
export { CallbackRefusal, type CallbackRefusalCode } from './chat/callback-refusal';
export {
  DINGTALK_REPLY_HOSTS,
  DINGTALK_TOLERANCE_MS,
  type DingTalkMessage,
  dingTalkMessage,
  sessionWebhookProblem,
  verifyDingTalkCallback,
} from './chat/dingtalk-callback';
export { flatXml } from './chat/flat-xml';
export {
  verifyWecomCallback,
  WECOM_TOLERANCE_SECONDS,
  wecomAesKey,
  type WecomCallbackKeys,
  type WecomCallbackQuery,
  wecomDecrypt,
  wecomEncrypted,
  type WecomMessage,
  wecomMessage,
  wecomSignature,
} from './chat/wecom-callback';
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
export { schemaAjv } from './sdk/schema-ajv';
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
