export { replayHistory, type ReplayOutcome, type ReplayRefusal } from './replay-history';
