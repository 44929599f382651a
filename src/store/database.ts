import type { ColumnType, Generated, Kysely } from 'kysely';
import type { SnapshotRoundsTable } from './snapshot-rounds.js';
import type { WebhookDeliveriesTable } from './webhook-deliveries.js';

/** The two databases the store runs on; they share one schema. */
export type StoreDialect = 'sqlite' | 'postgres';

export interface SnapshotsTable {
  id: Generated<number>;
  env: string;
  /** ISO 8601 UTC from `toISOString`, so text order is time order. */
  taken_at: string;
  content_digest: string;
  /** JSON: the snapshot's `SourceStatus` list. */
  sources: string;
  key_count: number;
}

/**
 * One version of one key in one environment: the run of consecutive snapshots
 * (first..last) in which the key had this exact fingerprint, type and origin.
 * A version is open (in the latest snapshot) while `last_snapshot_id` and
 * `ended_snapshot_id` are NULL; saving a snapshot touches only the versions
 * that end in it, never the unchanged ones.
 */
export interface KeyVersionsTable {
  id: Generated<number>;
  env: string;
  key: string;
  fingerprint: string;
  type: string;
  /** SQLite hands back 0/1, PostgreSQL a boolean; both accept 0/1. */
  sensitive: ColumnType<boolean | number, number, number>;
  sensitive_reason: string | null;
  /** JSON-encoded LeafValue; NULL whenever `sensitive` (a CHECK constraint holds the line). */
  value: string | null;
  tag: string | null;
  origin_source: string;
  origin_file: string;
  origin_line: number | null;
  origin_column: number | null;
  /** May name a pruned snapshot: the version began before the retention window. */
  first_snapshot_id: number;
  /** The last snapshot that still had this version; NULL while open (it is in every snapshot up to the latest). */
  last_snapshot_id: number | null;
  /** The snapshot in which the key changed or disappeared; NULL while current. */
  ended_snapshot_id: number | null;
}

export interface FindingSightingsTable {
  finding_id: string;
  first_seen: string;
  last_seen: string;
}

/**
 * Reports written before they are sent and marked after (migration
 * 004_report_outbox): a crash in between leaves a pending row that the next
 * run sends. Never holds the webhook URL or a secret value.
 */
export interface ReportOutboxTable {
  id: Generated<number>;
  /** The occurrence the report was built for (a schedule's tick, a one-off run): unique, so it is built once. */
  occurrence: string;
  /** Where it goes (`slack`). */
  channel: string;
  /** ISO 8601 UTC: when it was built. */
  created_at: string;
  /** `pending`, `delivered`, `failed` (will not heal: a revoked webhook), `skipped` (a quiet day, nothing sent). */
  status: string;
  /** JSON: the message exactly as it is sent; NULL for a skipped one. */
  payload: string | null;
  /** JSON: the findings open when it was built, the base the next report diffs against; NULL when the check failed. */
  open_findings: string | null;
  attempts: number;
  /** Why the last attempt failed, scrubbed of the webhook URL. */
  last_error: string | null;
  /** Who is sending it (`host pid token`) and until when: another sender leaves it alone meanwhile. */
  claimed_by: string | null;
  claimed_until: string | null;
  delivered_at: string | null;
}

/**
 * That `key` was removed from `env`, kept after retention pruned the key
 * versions that showed it, for as long as some environment still holds the key.
 */
export interface RemovalFactsTable {
  env: string;
  key: string;
  /** When the first snapshot without the key was taken (ISO 8601 UTC). */
  removed_at: string;
  /** When the last snapshot with the key was taken; NULL if that snapshot was already gone. */
  last_present_at: string | null;
}

export interface StoreDatabase {
  snapshots: SnapshotsTable;
  key_versions: KeyVersionsTable;
  finding_sightings: FindingSightingsTable;
  report_outbox: ReportOutboxTable;
  webhook_deliveries: WebhookDeliveriesTable;
  removal_facts: RemovalFactsTable;
  snapshot_rounds: SnapshotRoundsTable;
}

export type StoreDb = Kysely<StoreDatabase>;
