export {
  compileLinePattern,
  messageFormatProblems,
  readMessage,
  MESSAGE_LIMITS,
} from './read-message';
export type { LinePattern, MessageReading, MisreadLine, UnderstoodLine } from './read-message';
export type { OrderSource } from './order-source';
