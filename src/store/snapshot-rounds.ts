import type { Kysely, Migration, Selectable } from 'kysely';
import type { Snapshot } from '../snapshot/snapshot.js';

/**
 * One environment's part in one scheduled snapshot round (migration
 * `006_snapshot_rounds`). The primary key is the point: a retried or
 * duplicated occurrence finds its row and stores nothing twice. A failed or
 * suspicious round is kept here, never in `snapshots`, so that the history's
 * latest snapshot stays the last one believed — and the round says when and
 * why it was not believed.
 */
export interface SnapshotRoundsTable {
  /** The schedule's occurrence, ISO 8601 UTC. */
  occurrence: string;
  env: string;
  /** When the round recorded this environment, ISO 8601 UTC. */
  recorded_at: string;
  /** `stored`, `unchanged`, `failed` (a source could not be read), `suspicious` (the shrink guard refused it). */
  status: string;
  /** The snapshot stored (or found unchanged); NULL for a failed or suspicious round. */
  snapshot_id: number | null;
  /** Keys the snapshot had; NULL when a source failed. */
  key_count: number | null;
  /** JSON: why it failed or was refused, as problems already scrubbed of secrets; NULL when stored. */
  problems: string | null;
}

/** `006_snapshot_rounds`: the same table on SQLite and PostgreSQL. */
export const snapshotRoundsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('snapshot_rounds')
      .addColumn('occurrence', 'text', (col) => col.notNull())
      .addColumn('env', 'text', (col) => col.notNull())
      .addColumn('recorded_at', 'text', (col) => col.notNull())
      .addColumn('status', 'text', (col) => col.notNull())
      .addColumn('snapshot_id', 'integer')
      .addColumn('key_count', 'integer')
      .addColumn('problems', 'text')
      .addPrimaryKeyConstraint('snapshot_rounds_pkey', ['occurrence', 'env'])
      .execute();
    // The report asks for the rounds that went wrong since the last one; pruning deletes by age.
    await db.schema.createIndex('snapshot_rounds_recorded_at').on('snapshot_rounds').column('recorded_at').execute();
  },
};

export type SnapshotRoundStatus = 'stored' | 'unchanged' | 'failed' | 'suspicious';

/** Why a round failed or was refused: a problem as reports show it, already scrubbed. */
export interface RoundProblem {
  readonly source?: string;
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
}

export type NewSnapshotRound =
  /** A complete snapshot: stored, unless the shrink guard finds it suspicious or it equals the latest. */
  | {
      readonly occurrence: string;
      readonly snapshot: Snapshot;
      readonly recordedAt: string;
      /** Ends the shrink guard's reason: what to do about a suspicious snapshot. */
      readonly shrinkHint: string;
    }
  /** A snapshot that could not be completed: its scrubbed problems, nothing stored. */
  | {
      readonly occurrence: string;
      readonly env: string;
      readonly recordedAt: string;
      readonly problems: readonly RoundProblem[];
    };

export interface SnapshotRound {
  readonly occurrence: string;
  readonly env: string;
  readonly recordedAt: string;
  readonly status: SnapshotRoundStatus;
  readonly snapshotId?: number;
  readonly keyCount?: number;
  readonly problems: readonly RoundProblem[];
}

/** The store's side of scheduled snapshots. */
export interface SnapshotRounds {
  /**
   * Records one environment's part in a round, once per occurrence and
   * environment: when a row is already there (a retry, a second replica),
   * nothing is written and it is returned with `created: false`. A complete
   * snapshot is judged by the shrink guard and stored in the same
   * transaction, so that two runs of one occurrence store it once.
   */
  recordSnapshotRound(round: NewSnapshotRound): Promise<{ readonly round: SnapshotRound; readonly created: boolean }>;
  /** The environments an occurrence has recorded, sorted by environment. */
  snapshotRounds(occurrence: string): Promise<SnapshotRound[]>;
  /** Failed and suspicious rounds recorded after `since` (all kept ones without it), oldest first. */
  troubledSnapshotRounds(since?: string): Promise<SnapshotRound[]>;
}

export function snapshotRoundOf(row: Selectable<SnapshotRoundsTable>): SnapshotRound {
  return {
    occurrence: row.occurrence,
    env: row.env,
    recordedAt: row.recorded_at,
    status: row.status as SnapshotRoundStatus,
    ...(row.snapshot_id === null ? {} : { snapshotId: row.snapshot_id }),
    ...(row.key_count === null ? {} : { keyCount: row.key_count }),
    problems: row.problems === null ? [] : (JSON.parse(row.problems) as RoundProblem[]),
  };
}

/** Field by field: nothing a problem carries beyond what reports show reaches the store. */
export function plainProblem(problem: RoundProblem): RoundProblem {
  return {
    ...(problem.source === undefined ? {} : { source: problem.source }),
    message: problem.message,
    ...(problem.file === undefined ? {} : { file: problem.file }),
    ...(problem.line === undefined ? {} : { line: problem.line }),
    ...(problem.column === undefined ? {} : { column: problem.column }),
  };
}
