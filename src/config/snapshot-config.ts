import * as z from 'zod';
import { CronSchedule, TimeZone } from './report-config.js';

/**
 * `snapshot:` in driftwatch.yaml: when `serve` snapshots every environment,
 * live sources included, into the history. The schedule is read in
 * `snapshot.timezone`, else in `report.timezone` (one zone for a team's
 * schedules unless it says otherwise), else UTC.
 */
export const SnapshotConfig = z.strictObject({
  schedule: CronSchedule.optional(),
  timezone: TimeZone.optional(),
});
export type SnapshotConfig = z.infer<typeof SnapshotConfig>;

/** The time zone `snapshot.schedule` is read in. */
export function snapshotTimezone(config: {
  readonly snapshot?: SnapshotConfig;
  readonly report: { readonly timezone: string };
}): string {
  return config.snapshot?.timezone ?? config.report.timezone;
}
