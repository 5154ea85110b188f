export { compileFlow, FlowValidationError } from './compile-flow';
export { AutoTransitionLimitError, MAX_AUTO_STEPS } from './flow-interpreter';
export type { CompiledFlow, AvailableTransition } from './flow-interpreter';
export { orderDataSchema } from './data-schema';
export type { JsonSchema } from './data-schema';
export { applyMergePatch } from './merge-patch';
export { addDuration } from './durations';
export { applyCallAnswer, type CallAnswer } from './call-answer';
export {
  SYSTEM_ROLE,
  systemActor,
  isSystemActor,
  actorKind,
  fieldOwner,
  mayWrite,
  ownerText,
  ownershipProblems,
  hasOwnership,
  mayFireTransition,
  type FieldOwner,
} from './ownership';
