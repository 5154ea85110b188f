export {
  type BusinessCalendar,
  CalendarError,
  type CalendarRowProblem,
  calendarOf,
  calendarProblems,
  HOURS_COLUMN,
  parseHours,
  type Period,
  TIMEZONE_KEY,
  WEEKDAYS,
} from './business-calendar';
export {
  addBusinessDuration,
  type BusinessDuration,
  inWorkingHours,
  parseBusinessDuration,
  workedBetween,
} from './business-time';
export { type Due, type DueCalendar, dueAfter } from './due-time';
