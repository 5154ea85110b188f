export { compileJourney } from './journey';
export type {
  Journey,
  JourneyOf,
  JourneyOptions,
  Stay,
  MeasureSpan,
  PendingMeasure,
  ChangedBy,
} from './journey';
export { dataAlong } from './data-along';
export { formatDuration, formatShare } from './format-duration';
export type {
  Analytics,
  CustomerHealth,
  CustomerMeasure,
  CustomerRisk,
  TimeSummary,
} from './analytics-answers';
