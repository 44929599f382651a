import { Cron } from 'croner';
import { ScheduleError } from './job-queue.js';

/** A validated cron expression in its time zone; both engines read schedules through it. */
export interface CronSchedule {
  readonly cron: string;
  readonly timezone: string;
  /** A paused croner job: nothing runs until the caller starts one. */
  readonly pattern: Cron;
}

/**
 * Validates `cron` in `timezone` (UTC by default). croner reads the expression;
 * the time zone is checked by Intl, because croner only notices a bad one when
 * it first computes a date. Throws `ScheduleError` naming what is wrong.
 */
export function parseCronSchedule(cron: string, timezone = 'UTC'): CronSchedule {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw new ScheduleError(
      `unknown time zone ${JSON.stringify(timezone)}: expected an IANA name such as Europe/Berlin`,
    );
  }
  let pattern: Cron;
  try {
    pattern = new Cron(cron, { timezone, paused: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ScheduleError(`invalid cron expression ${JSON.stringify(cron)}: ${reason}`);
  }
  if (pattern.nextRun() === null) {
    throw new ScheduleError(`cron expression ${JSON.stringify(cron)} never fires`);
  }
  return { cron, timezone, pattern };
}

/** The ISO 8601 UTC time of the last occurrence at or before `reference`: which round a scheduled job is. */
export function occurrenceAt(schedule: CronSchedule, reference: Date): string {
  // croner's previousRuns is strictly before its reference; a job created on the occurrence itself is that occurrence.
  const [previous] = schedule.pattern.previousRuns(1, new Date(reference.getTime() + 1));
  return (previous ?? reference).toISOString();
}
