import { alignSnapshots } from '../../compare/matrix.js';
import { displayOrigin, displayValue } from '../../snapshot/display.js';
import type { Entry } from '../../snapshot/snapshot.js';
import type { StoredSnapshot } from '../../store/store.js';

/**
 * A key across the environments: `same` (every environment has it, one
 * value), `differs` (every environment has it, values differ), `missing`
 * (some environment lacks it). A single environment has nothing to differ from.
 */
export type RowStatus = 'same' | 'differs' | 'missing';

export interface MatrixCell {
  readonly env: string;
  readonly present: boolean;
  /** What may be shown: the value, cut to fit a cell, or a secret's short fingerprint. */
  readonly shown?: string;
  /** The whole of `shown`, for the cell's tooltip, when it was cut. */
  readonly full?: string;
  readonly secret: boolean;
  /** `config/app.yaml:14`. */
  readonly origin?: string;
}

export interface MatrixRow {
  readonly key: string;
  readonly status: RowStatus;
  /** Any environment holds the key as a secret. */
  readonly secret: boolean;
  readonly cells: readonly MatrixCell[];
  /** Open findings about this key, in the latest delivered report. */
  readonly findings: number;
}

export interface MatrixEnvironment {
  readonly name: string;
  readonly takenAt: string;
  readonly keys: number;
  /** Sources that could not be read when the snapshot was taken. */
  readonly failedSources: readonly string[];
}

export interface DriftMatrix {
  readonly environments: readonly MatrixEnvironment[];
  readonly rows: readonly MatrixRow[];
  readonly counts: Readonly<Record<RowStatus, number>>;
}

/** Longer values are cut in a cell; the tooltip has the rest. */
const MAX_SHOWN = 60;

/**
 * The keys × environments matrix of the latest stored snapshot of each
 * environment. Values come from the store, which never holds a secret's:
 * a secret is shown by its fingerprint, which is enough to see that two
 * environments share it. Pure.
 */
export function buildDriftMatrix(
  snapshots: readonly StoredSnapshot[],
  findingsByKey: ReadonlyMap<string, number> = new Map(),
): DriftMatrix {
  const matrix = alignSnapshots(snapshots);
  const counts: Record<RowStatus, number> = { same: 0, differs: 0, missing: 0 };
  const rows = matrix.rows.map((row): MatrixRow => {
    const status = rowStatus(row.entries);
    counts[status]++;
    return {
      key: row.key,
      status,
      secret: row.entries.some((entry) => entry?.sensitive === true),
      cells: row.entries.map((entry, index) => cellOf(matrix.envs[index] as string, entry)),
      findings: findingsByKey.get(row.key) ?? 0,
    };
  });
  return {
    environments: snapshots.map((snapshot) => ({
      name: snapshot.env,
      takenAt: snapshot.takenAt,
      keys: snapshot.keyCount,
      failedSources: snapshot.sources.filter((source) => source.status === 'error').map((source) => source.source),
    })),
    rows,
    counts,
  };
}

function rowStatus(entries: readonly (Entry | undefined)[]): RowStatus {
  if (entries.some((entry) => entry === undefined)) return 'missing';
  const fingerprints = new Set(entries.map((entry) => entry?.fingerprint));
  return fingerprints.size > 1 ? 'differs' : 'same';
}

function cellOf(env: string, entry: Entry | undefined): MatrixCell {
  if (entry === undefined) return { env, present: false, secret: false };
  const full = displayValue(entry);
  const cut = full.length > MAX_SHOWN ? `${full.slice(0, MAX_SHOWN - 1)}…` : full;
  return {
    env,
    present: true,
    shown: cut,
    ...(cut === full ? {} : { full }),
    secret: entry.sensitive,
    origin: displayOrigin(entry),
  };
}
