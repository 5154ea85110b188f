/**
 * @ordo/engine — the pure interpreter of Ordo flow documents. No I/O, no clock, no randomness:
 * time, actor and ids come in through an EngineContext; side effects go out as data.
 */
export * from './flow';
export type * from './order';
export type {
  Problem,
  Severity,
  EngineError,
  EngineErrorCode,
  EngineResult,
  RuleWarning,
} from './result';
export type { Explanation, DataSetRead } from './rules/explanation';
export {
  evaluateRule,
  compileRule,
  explainRule,
  checkRule,
  RuleError,
  ruleOperators,
  domainOperators,
  DEFAULT_RULE_LIMITS,
  DATA_SETS,
  dataSetRow,
  lookupKey,
} from './rules';
export type {
  CompiledRule,
  RuleOptions,
  RuleLimits,
  RuleErrorCode,
  DataSets,
  DataSetRow,
  DataSetTable,
} from './rules';
export { validateFlow } from './lint';
export type { ValidationResult } from './lint';
export {
  compileFlow,
  FlowValidationError,
  AutoTransitionLimitError,
  orderDataSchema,
  applyMergePatch,
  addDuration,
  applyCallAnswer,
  SYSTEM_ROLE,
  systemActor,
  isSystemActor,
  actorKind,
  fieldOwner,
  mayWrite,
  ownerText,
  ownershipProblems,
  mayFireTransition,
} from './interpreter';
export type {
  CompiledFlow,
  AvailableTransition,
  JsonSchema,
  CallAnswer,
  FieldOwner,
} from './interpreter';
export { planMigration } from './migration';
export { replayHistory } from './replay';
export { timerKind } from './order/timer-kind';
export { compileJourney, dataAlong, formatDuration, formatShare } from './journey';
export type {
  Analytics,
  ChangedBy,
  CustomerHealth,
  CustomerMeasure,
  CustomerRisk,
  Journey,
  JourneyOf,
  JourneyOptions,
  MeasureSpan,
  PendingMeasure,
  Stay,
  TimeSummary,
} from './journey';
export { canonicalJson } from './json/canonical-json';
export {
  UNSAFE_KEYS,
  isUnsafeKey,
  UnsafePathError,
  unsafeMessage,
  unsafeSegment,
  pathSegments,
  ownValue,
  getPath,
  setPath,
  patchAt,
  findUnsafeKey,
} from './json/safe-path';
export { pointer as jsonPointer } from './interpreter/json-pointer';
export type { ReplayOutcome, ReplayParting, ReplayRefusal } from './replay';
export type { MigrationPlan, MigrationOptions, StateMove } from './migration';
export * from './integration';
export * from './calendar';
export { compileLinePattern, messageFormatProblems, readMessage, MESSAGE_LIMITS } from './intake';
export type {
  LinePattern,
  MessageReading,
  MisreadLine,
  OrderSource,
  UnderstoodLine,
} from './intake';
