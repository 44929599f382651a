import type { KeyMatrix, KeyRow } from '../compare/matrix.js';
import type { Finding } from '../report/report.js';
import { findingId } from './finding-id.js';
import { compileKeyGlob, literalKeyOf, literalPrefixOf, matchesEverything, requiredTexts } from './key-glob.js';
import type { LoadedRule } from './load-packs.js';

/**
 * A rule whose `keys` select nothing checks nothing, and says nothing: a typo
 * such as `compnay.default.*` would pass the gate for ever with "No drift
 * found". So the engine reports every such glob as a warning about the rule.
 * Kinds for which selecting nothing is the verdict itself (a `forbid` whose
 * retired keys are gone, a `require` that already reports the missing key)
 * opt out with `whenKeysMatchNothing: 'pass'`.
 */

/**
 * The globs that select no key (nor list keyed by name) that any of the
 * environments (by index) holds. `selected`, the rows the engine selected for
 * the globs, holds every key any of them matches, so only those are looked
 * at again; without it each glob is tried the way the engine selects rows,
 * stopping at the first key it matches.
 */
export function globsMatchingNothing(
  matrix: KeyMatrix,
  globs: readonly string[],
  envIndexes: readonly number[],
  selected?: readonly KeyRow[],
): string[] {
  const held = (row: KeyRow) => envIndexes.some((index) => row.entries[index] !== undefined);
  const matchesKey = (glob: string): boolean => {
    if (selected === undefined) return matchesAnyKey(matrix, glob, held);
    if (globs.length === 1) return selected.some(held);
    const matches = compileKeyGlob(glob);
    return selected.some((row) => held(row) && matches(row.segments));
  };
  return globs.filter((glob) => !matchesKey(glob) && !matchesAnyList(matrix, glob, envIndexes));
}

function matchesAnyList(matrix: KeyMatrix, glob: string, envIndexes: readonly number[]): boolean {
  if (matrix.lists.length === 0) return false;
  const matches = compileKeyGlob(glob);
  return matrix.lists.some(
    (list) => envIndexes.some((index) => list.orders[index] !== undefined) && matches(list.segments),
  );
}

function matchesAnyKey(matrix: KeyMatrix, glob: string, held: (row: KeyRow) => boolean): boolean {
  if (matchesEverything(glob)) return matrix.rows.some(held);
  const literal = literalKeyOf(glob);
  if (literal !== undefined) {
    const row = matrix.find(literal);
    return row !== undefined && held(row);
  }
  const matches = compileKeyGlob(glob);
  const texts = requiredTexts(glob);
  const prefix = literalPrefixOf(glob);
  const candidates = prefix === '' ? matrix.rows : matrix.withPrefix(prefix);
  return candidates.some((row) => held(row) && texts.every((text) => row.key.includes(text)) && matches(row.segments));
}

/** What a kind's `keys` select, for the message: configured keys, or names the code reads. */
export type KeysSelect = 'key' | 'name the code reads';

/**
 * The warning about one rule: which of its globs select nothing, where the
 * rule is written (pack and line), in which environments. Its id hangs on the
 * rule and the globs, so it can be baselined like any finding.
 */
export function unmatchedKeysFinding(
  loaded: LoadedRule,
  globs: readonly string[],
  envs: readonly string[],
  selects: KeysSelect = 'key',
): Finding {
  const { rule, pack, line } = loaded;
  const key = globs.join(', ');
  const sortedEnvs = [...envs].sort();
  const what = rule.kind === 'allow' ? `allowance '${rule.id}'` : `rule '${rule.id}'`;
  const effect = rule.kind === 'allow' ? 'it allows nothing' : 'the rule checks nothing';
  const where = selects === 'key' ? ` in ${either(envs)}` : '';
  const builtIn = pack.startsWith('driftwatch:');
  // `**` cannot be misspelt: nothing is there to select at all.
  const question = globs.every(matchesEverything)
    ? selects === 'key'
      ? 'the environments hold no keys'
      : 'the scan found no reads: do the references globs cover the code?'
    : `is ${globs.length === 1 ? 'the glob' : 'a glob'} misspelt?`;
  return {
    id: findingId(rule.id, `matches nothing\u0000${key}`, sortedEnvs),
    rule: rule.id,
    kind: rule.kind,
    severity: 'warning',
    key,
    envs: sortedEnvs,
    message: `${what} (${pack}:${line}): no ${selects}${where} matches ${key}, so ${effect} there; ${question}`,
    locations: [],
    ...(builtIn ? {} : { ruleLocation: { file: pack, line } }),
  };
}

/** `staging`, `staging or production`, `dev, staging or production` */
function either(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}
