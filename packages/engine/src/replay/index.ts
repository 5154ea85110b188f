export {
  replayHistory,
  type ReplayOutcome,
  type ReplayParting,
  type ReplayRefusal,
} from './replay-history';
