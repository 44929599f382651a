import { alignSnapshots } from '../compare/matrix.js';
import { displayValue } from '../snapshot/display.js';
import type { Entry, Snapshot } from '../snapshot/snapshot.js';
import type { MatrixCell, MatrixRow } from './report.js';

/**
 * Every key of every environment as it may be shown: values through
 * `displayValue` (a secret becomes its short fingerprint here, before any
 * reporter sees it), and a variant number per distinct fingerprint so that
 * equal and differing values stay apart even when they print alike (`1` and
 * `"1"`, two secrets).
 */
export function reportMatrix(snapshots: readonly Snapshot[]): MatrixRow[] {
  const { rows } = alignSnapshots(snapshots);
  const matrix = new Array<MatrixRow>(rows.length);
  for (let index = 0; index < rows.length; index++) {
    const row = rows[index] as (typeof rows)[number];
    const fingerprints: string[] = [];
    const cells = row.entries.map((entry) => (entry === undefined ? undefined : cellOf(entry, fingerprints)));
    matrix[index] = { key: row.key, cells };
  }
  return matrix;
}

function cellOf(entry: Entry, fingerprints: string[]): MatrixCell {
  let variant = fingerprints.indexOf(entry.fingerprint);
  if (variant === -1) variant = fingerprints.push(entry.fingerprint) - 1;
  return {
    value: displayValue(entry),
    sensitive: entry.sensitive,
    variant,
    file: entry.origin.file,
    ...(entry.origin.line === undefined ? {} : { line: entry.origin.line }),
  };
}
