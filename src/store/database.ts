import type { ColumnType, Generated, Kysely } from 'kysely';
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

export interface StoreDatabase {
  snapshots: SnapshotsTable;
  key_versions: KeyVersionsTable;
  finding_sightings: FindingSightingsTable;
  webhook_deliveries: WebhookDeliveriesTable;
}

export type StoreDb = Kysely<StoreDatabase>;
