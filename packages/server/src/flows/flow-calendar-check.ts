import { Injectable } from '@nestjs/common';
import { calendarProblems, type Problem } from '@ordo/engine';
import { DataSetStore } from '../datasets/data-set-store';

/**
 * A flow's `calendar` against the data sets this server holds: a set that is not there yet is
 * a warning (business time is counted in wall-clock time until it is uploaded); a set that
 * cannot be read as a calendar is an error at `/calendar`, naming its first bad row.
 */
@Injectable()
export class FlowCalendarCheck {
  constructor(private readonly dataSets: DataSetStore) {}

  async problems(doc: unknown): Promise<Problem[]> {
    const name = (doc as { calendar?: unknown } | null)?.calendar;
    if (typeof name !== 'string') return [];
    const snapshot = await this.dataSets.snapshot();
    if (snapshot.version(name) === undefined)
      return [
        {
          path: '/calendar',
          code: 'unknown_calendar',
          severity: 'warning',
          message: `There is no data set "${name}" yet: until it is uploaded, durations "in": "business" are counted in wall-clock time (docs/datasets.md#business-calendars)`,
        },
      ];
    const found = calendarProblems(snapshot.rowsOf(name));
    if (!found.length) return [];
    const [first] = found;
    return [
      {
        path: '/calendar',
        code: 'bad_calendar',
        severity: 'error',
        message: `The data set "${name}" (version ${snapshot.version(name)}) is not a business calendar: row "${first.key}"${first.column ? `, ${first.column}` : ''}: ${first.message}${found.length > 1 ? ` (and ${found.length - 1} more)` : ''} — key it by "day" with a column "hours" (docs/datasets.md#business-calendars)`,
      },
    ];
  }
}
