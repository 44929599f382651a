import type { KeyMatrix, KeyRow } from '../compare/matrix.js';
import type { Finding, RuleKind, UncheckedDrift } from '../report/report.js';
import { sameValue } from '../snapshot/same-value.js';
import type { RuleBase } from './rule.js';

/** Kinds that look at a key's values across environments: a difference they pass was checked. */
const VALUE_KINDS: readonly RuleKind[] = ['equal', 'differ', 'match', 'allow'];
/** Kinds that look at whether a key exists: an absence they pass was checked. */
const PRESENCE_KINDS: readonly RuleKind[] = ['parity', 'require', 'forbid', 'allow'];

/**
 * What the rules did not look at. "No drift found" from a pack without an
 * `equal` rule would hide every changed value `driftwatch diff` shows; the
 * report says instead how many differences no rule covered. A difference is
 * covered when the key has a finding, or when a rule of a kind that judges it
 * selected the key in every environment involved.
 */
export class RuleReach {
  readonly #matrix: KeyMatrix;
  readonly #reaches: {
    readonly rule: RuleBase;
    readonly rows: ReadonlySet<KeyRow> | 'all';
    readonly envs: number[];
  }[] = [];

  constructor(matrix: KeyMatrix) {
    this.#matrix = matrix;
  }

  /** Records the rows a rule selected in the environments it applies to. */
  add(rule: RuleBase, rows: readonly KeyRow[], envIndexes: readonly number[]): void {
    if (!VALUE_KINDS.includes(rule.kind) && !PRESENCE_KINDS.includes(rule.kind)) return;
    this.#reaches.push({
      rule,
      rows: rows === this.#matrix.rows ? 'all' : new Set(rows),
      envs: [...envIndexes],
    });
  }

  /** The differences no finding and no covering rule accounts for; undefined when there are none. */
  unchecked(findings: readonly Finding[]): UncheckedDrift | undefined {
    const { envs, rows } = this.#matrix;
    if (envs.length < 2) return undefined;
    const withFinding = new Set(findings.map((finding) => finding.key));
    const valueReaches = this.#reaches.filter(({ rule }) => VALUE_KINDS.includes(rule.kind));
    const presenceReaches = this.#reaches.filter(({ rule }) => PRESENCE_KINDS.includes(rule.kind));
    const allEnvs = envs.map((_, index) => index);
    let values = 0;
    let missing = 0;
    // One tight pass over every row: it runs on every check, over every key.
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r] as KeyRow;
      const entries = row.entries;
      let absent = false;
      let differs = false;
      let first: (typeof entries)[number];
      for (let e = 0; e < entries.length; e++) {
        const entry = entries[e];
        if (entry === undefined) absent = true;
        else if (first === undefined) first = entry;
        else if (!sameValue(entry, first)) differs = true;
      }
      if ((!absent && !differs) || withFinding.has(row.key)) continue;
      if (differs) {
        const holders = allEnvs.filter((index) => entries[index] !== undefined);
        if (!valueReaches.some((reach) => covers(reach, row, holders))) values++;
      }
      if (absent && !presenceReaches.some((reach) => covers(reach, row, allEnvs))) missing++;
    }
    if (values === 0 && missing === 0) return undefined;
    return { values, missing, envs: [...envs] };
  }
}

function covers(
  reach: { readonly rule: RuleBase; readonly rows: ReadonlySet<KeyRow> | 'all'; readonly envs: readonly number[] },
  row: KeyRow,
  envIndexes: readonly number[],
): boolean {
  if (reach.rows !== 'all' && !reach.rows.has(row)) return false;
  if (!envIndexes.every((index) => reach.envs.includes(index))) return false;
  // `differ` with `only: secrets` passes every value that is not a secret without looking at it.
  if (reach.rule.kind === 'differ' && (reach.rule as { only?: string }).only === 'secrets') {
    return envIndexes.some((index) => row.entries[index]?.sensitive === true);
  }
  return true;
}
