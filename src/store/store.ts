import type { LeafValue, ValueType } from '../formats/format.js';
import type { Entry, Origin, Snapshot, SourceStatus } from '../snapshot/snapshot.js';
import type { ReportOutbox } from './report-outbox.js';
import type { SnapshotRounds } from './snapshot-rounds.js';

/**
 * Snapshot history. Stores key *versions* rather than whole snapshots, so a
 * year of daily snapshots costs little more than the keys that changed.
 * Every write is one transaction; every method may throw `StoreError`.
 * The report outbox's methods are declared apart, in report-outbox.ts, and
 * the scheduled snapshot rounds' in snapshot-rounds.ts.
 */
export interface Store extends ReportOutbox, SnapshotRounds {
  /**
   * Stores `snapshot` unless its content equals the environment's latest
   * snapshot, in which case nothing is written and the latest id is returned
   * with `stored: false`. Sensitive entries are stored without their value.
   * Throws `StoreError` (reason `out-of-order`) for a snapshot taken before
   * the environment's latest stored one: history is appended in time order.
   */
  saveSnapshot(snapshot: Snapshot): Promise<SaveResult>;
  latestSnapshot(env: string): Promise<StoredSnapshot | undefined>;
  /** Every environment with a stored snapshot, sorted. */
  environments(): Promise<string[]>;
  /** When keys were added, changed and removed, oldest first. */
  keyHistory(options?: KeyHistoryOptions): Promise<KeyEvent[]>;
  /**
   * Keys `env` once had and its latest snapshot lacks, sorted by key, with
   * when they went (the latest removal). Removals outlive retention for as
   * long as some environment still holds the key.
   */
  removedKeys(env: string): Promise<RemovedKey[]>;
  /** Records that these findings were seen at `at`; returns each id's first sighting. */
  recordFindings(ids: readonly string[], at: string): Promise<Map<string, string>>;
  /**
   * Deletes snapshots taken more than `keepDays` before `now`, except each
   * environment's latest, with the key versions that ended in them; a removal
   * among those versions is kept as a removal fact while some environment
   * still holds the key. Scheduled snapshot rounds recorded before the cutoff go too.
   */
  prune(options: PruneOptions): Promise<PruneResult>;

  // The service's webhook deliveries: apart from the snapshot history, kept so that a redelivery is not processed twice.
  /** Records a delivery by its id; false when that id was recorded before (a redelivery). */
  recordWebhookDelivery(delivery: WebhookDelivery): Promise<boolean>;
  /** Forgets a delivery, so that GitHub's redelivery of it is processed again (its job was lost or gave up). */
  forgetWebhookDelivery(id: string): Promise<void>;
  /** Deletes deliveries received before `before`; returns how many. */
  pruneWebhookDeliveries(before: Date): Promise<number>;
  /** Throws when the store cannot be read (database unreachable, tables gone), for the service's /readyz. */
  ping(): Promise<void>;

  close(): Promise<void>;
}

/** One GitHub webhook delivery the service took: ids and names, never the body. */
export interface WebhookDelivery {
  /** `x-github-delivery`. */
  readonly id: string;
  /** `x-github-event`. */
  readonly event: string;
  /** The body's `action`, when it has one. */
  readonly action?: string;
  /** ISO 8601. */
  readonly receivedAt: string;
}

export interface SaveResult {
  readonly snapshotId: number;
  /** False when the snapshot equalled the environment's latest and nothing was written. */
  readonly stored: boolean;
}

export interface StoredSnapshot {
  readonly id: number;
  readonly env: string;
  /** ISO 8601 UTC, normalised as `Date.prototype.toISOString` writes it. */
  readonly takenAt: string;
  readonly keyCount: number;
  /** SHA-256 (hex) of the entries without their values; equal content, equal digest. */
  readonly contentDigest: string;
  readonly sources: readonly SourceStatus[];
  /** Sorted by key. Sensitive entries carry no value. */
  readonly entries: ReadonlyMap<string, Entry>;
}

export type KeyChange = 'added' | 'changed' | 'removed';

/**
 * One step in a key's life. For `added` and `changed`, the fields describe the
 * new version; for `removed`, the version that disappeared.
 */
export interface KeyEvent {
  readonly env: string;
  readonly key: string;
  readonly change: KeyChange;
  /** When the snapshot that showed the change was taken (ISO 8601 UTC). */
  readonly at: string;
  readonly snapshotId: number;
  readonly fingerprint?: string;
  readonly type?: ValueType;
  /** Only for non-sensitive keys. */
  readonly value?: LeafValue;
  readonly sensitive: boolean;
  readonly origin?: Origin;
}

export interface KeyHistoryOptions {
  readonly env?: string;
  readonly key?: string;
  /** Keep only the most recent `limit` events (still returned oldest first). */
  readonly limit?: number;
}

export interface RemovedKey {
  readonly key: string;
  /** When the snapshot that no longer had the key was taken. */
  readonly removedAt: string;
}

export interface PruneOptions {
  readonly keepDays: number;
  readonly now: Date;
}

export interface PruneResult {
  readonly snapshotsDeleted: number;
}
