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
  // Plain indexed loops: this runs once per key of every environment, on every check.
  for (let index = 0; index < rows.length; index++) {
    const row = rows[index] as (typeof rows)[number];
    const { entries } = row;
    const cells = new Array<MatrixCell | undefined>(entries.length);
    let first: string | undefined;
    let others: string[] | undefined;
    for (let column = 0; column < entries.length; column++) {
      const entry = entries[column];
      if (entry === undefined) {
        cells[column] = undefined; // not a hole: \`map\` and \`join\` skip holes
        continue;
      }
      // Most rows hold one value everywhere: no list of fingerprints until a second one turns up.
      let variant = 0;
      if (first === undefined) first = entry.fingerprint;
      else if (entry.fingerprint !== first) {
        others ??= [];
        variant = others.indexOf(entry.fingerprint) + 1;
        if (variant === 0) variant = others.push(entry.fingerprint);
      }
      cells[column] = cellOf(entry, variant);
    }
    matrix[index] = { key: row.key, cells };
  }
  return matrix;
}

function cellOf(entry: Entry, variant: number): MatrixCell {
  const { origin } = entry;
  return origin.line === undefined
    ? { value: displayValue(entry), sensitive: entry.sensitive, variant, file: origin.file }
    : { value: displayValue(entry), sensitive: entry.sensitive, variant, file: origin.file, line: origin.line };
}
