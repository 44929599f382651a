import type { KeyMatrix, KeyRow, ListRow } from '../compare/matrix.js';
import { compareCodeUnits } from '../compare-code-units.js';
import { plural } from '../plural.js';
import type { Finding, FindingLocation, RuleInfo, Severity, UncheckedDrift } from '../report/report.js';
import { displayValue } from '../snapshot/display.js';
import { segmentsOrWhole } from '../snapshot/key-path.js';
import { ALLOWABLE_BY_DEFAULT, type AllowRule, hasLapsed } from './allow.js';
import { findingId } from './finding-id.js';
import type { ForbidRule } from './forbid.js';
import { ruleKinds } from './index.js';
import {
  compileKeyGlob,
  compileKeyGlobs,
  literalKeyOf,
  literalPrefixOf,
  matchesEverything,
  requiredTexts,
} from './key-glob.js';
import type { LoadedRule } from './load-packs.js';
import type {
  ChangeContext,
  HistoryContext,
  ReferenceContext,
  RuleBase,
  RuleContext,
  RuleNeed,
  Verdict,
} from './rule.js';
import { RuleReach } from './rule-reach.js';
import { globsMatchingNothing, unmatchedKeysFinding } from './unmatched-keys.js';

export interface EngineOptions {
  readonly now: Date;
  /** Keys listed under `retiredKeys:` in driftwatch.yaml, for rules with `keysFrom: retiredKeys`. */
  readonly retiredKeys?: readonly string[];
  readonly references?: ReferenceContext;
  readonly history?: HistoryContext;
  /** A pull request's changes, for rules of kind `couple`. */
  readonly changes?: ChangeContext;
}

/** What the loaded rules need beyond snapshots, so that a check scans code or opens history only when it must. */
export function needsOf(loaded: readonly LoadedRule[]): Set<RuleNeed> {
  const needs = new Set<RuleNeed>();
  for (const { rule } of loaded) {
    const need = ruleKinds.get(rule.kind)?.needs;
    if (need) needs.add(need);
  }
  return needs;
}

export interface EngineResult {
  readonly findings: Finding[];
  readonly rules: RuleInfo[];
  /** Differences no rule judged (see rule-reach.ts). */
  readonly unchecked?: UncheckedDrift;
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, notice: 2 };

/** Runs every rule over the aligned environments, applies allowances, and returns sorted findings. */
export function runRules(loaded: readonly LoadedRule[], matrix: KeyMatrix, options: EngineOptions): EngineResult {
  const findings: Finding[] = [];
  const rules: RuleInfo[] = [];
  const allowances: AllowRule[] = [];
  const reach = new RuleReach(matrix);

  // Rules whose keys select nothing: reported after allowances, which must not hide them.
  const unmatched: Finding[] = [];

  for (const loadedRule of loaded) {
    const { rule } = loadedRule;
    const module = ruleKinds.get(rule.kind);
    if (!module) throw new Error(`rule kind '${rule.kind}' is not registered`);
    const severity = rule.severity ?? module.defaultSeverity;
    rules.push({ id: rule.id, kind: rule.kind, severity, description: module.describe(rule) });
    const envIndexes = envIndexesOf(rule, matrix);
    if (rule.kind === 'allow') {
      allowances.push(rule as AllowRule);
      const globs = envIndexes.length === 0 ? [] : globsMatchingNothing(matrix, rule.keys, envIndexes);
      if (globs.length > 0) unmatched.push(unmatchedKeysFinding(loadedRule, globs, envNames(matrix, envIndexes)));
      reach.add(rule, rowsMatching(matrix, rule.keys), envIndexes);
      continue;
    }
    const keys = keysOf(rule, options);
    if (keys.length === 0) continue;
    const rows = rowsMatching(matrix, keys);
    reach.add(rule, rows, envIndexes);
    if (module.needs && !options[module.needs])
      throw new Error(`rule '${rule.id}' needs ${module.needs}, which the caller did not provide`);
    const context: RuleContext = {
      matrix,
      envIndexes,
      rows,
      lists: listsMatching(matrix, keys),
      now: options.now,
      ...(options.references ? { references: options.references } : {}),
      ...(options.history ? { history: options.history } : {}),
      ...(options.changes ? { changes: options.changes } : {}),
    };
    const verdicts = module.check(rule, context);
    for (const verdict of verdicts) findings.push(toFinding(rule, verdict.severity ?? severity, verdict));
    // A rule none of whose environments is in this run (`--env`) checks nothing by request, not by a typo.
    if (module.whenKeysMatchNothing !== 'pass' && envIndexes.length > 0) {
      const globs = module.unmatchedKeys
        ? module.unmatchedKeys(rule, context)
        : globsMatchingNothing(matrix, keys, envIndexes, rows);
      if (globs.length > 0) {
        const selects = module.unmatchedKeys ? 'name the code reads' : 'key';
        unmatched.push(unmatchedKeysFinding(loadedRule, globs, envNames(matrix, envIndexes), selects));
      }
    }
  }

  const kept = applyAllowances(findings, allowances, matrix.envs, options.now);
  kept.push(...unmatched);
  const unchecked = reach.unchecked(findings);
  return {
    findings: sortFindings(kept),
    rules: rules.sort((a, b) => compareCodeUnits(a.id, b.id)),
    ...(unchecked ? { unchecked } : {}),
  };
}

function envIndexesOf(rule: RuleBase, matrix: KeyMatrix): number[] {
  return matrix.envs.flatMap((env, index) => (!rule.envs || rule.envs.includes(env) ? [index] : []));
}

function envNames(matrix: KeyMatrix, envIndexes: readonly number[]): string[] {
  return envIndexes.map((index) => matrix.envs[index] as string);
}

/**
 * The rows a rule's globs select, in key order: all of them for `**`, a
 * binary search for a literal key, the sorted range of a literal prefix
 * (`svc1.**`), and a filtered scan only when a glob starts with a wildcard.
 */
function rowsMatching(matrix: KeyMatrix, globs: readonly string[]): readonly KeyRow[] {
  if (globs.some(matchesEverything)) return matrix.rows;
  const selected = new Set<KeyRow>();
  for (const glob of globs) {
    const literal = literalKeyOf(glob);
    if (literal !== undefined) {
      const row = matrix.find(literal);
      if (row) selected.add(row);
      continue;
    }
    const matches = compileKeyGlob(glob);
    const texts = requiredTexts(glob);
    const prefix = literalPrefixOf(glob);
    // The range of `svc1` holds `svc1` itself, `svc1.x`, `svc1[0]` (and `svc10.x`, which the matcher drops).
    const candidates = prefix === '' ? matrix.rows : matrix.withPrefix(prefix);
    for (const row of candidates) {
      if (containsAll(row.key, texts) && matches(row.segments)) selected.add(row);
    }
  }
  if (globs.length === 1) return [...selected];
  return [...selected].sort((a, b) => compareCodeUnits(a.key, b.key));
}

/** The lists keyed by name that a rule's globs select: few, so a plain filter. */
function listsMatching(matrix: KeyMatrix, globs: readonly string[]): readonly ListRow[] {
  if (matrix.lists.length === 0 || globs.some(matchesEverything)) return matrix.lists;
  const matches = compileKeyGlobs(globs);
  return matrix.lists.filter((list) => matches(list.segments));
}

function containsAll(key: string, texts: readonly string[]): boolean {
  for (const text of texts) if (!key.includes(text)) return false;
  return true;
}

function keysOf(rule: RuleBase, options: EngineOptions): readonly string[] {
  if (rule.kind === 'forbid' && (rule as ForbidRule).keysFrom === 'retiredKeys') {
    return [...rule.keys, ...(options.retiredKeys ?? [])];
  }
  return rule.keys;
}

function toFinding(rule: RuleBase, severity: Severity, verdict: Verdict): Finding {
  const envs = [...verdict.envs].sort();
  const locations: FindingLocation[] = verdict.entries.map(({ env, entry }) => ({
    env,
    file: entry.origin.file,
    ...(entry.origin.line !== undefined ? { line: entry.origin.line } : {}),
    ...(entry.origin.column !== undefined ? { column: entry.origin.column } : {}),
  }));
  locations.push(...(verdict.locations ?? []));
  const values: Record<string, string> = {};
  for (const { env, entry } of verdict.entries) values[env] = displayValue(entry);
  return {
    id: findingId(rule.id, verdict.key, envs),
    rule: rule.id,
    kind: rule.kind,
    severity,
    key: verdict.key,
    envs,
    message: verdict.message,
    locations,
    ...(Object.keys(values).length > 0 ? { values } : {}),
  };
}

function applyAllowances(
  findings: readonly Finding[],
  allowances: readonly AllowRule[],
  allEnvs: readonly string[],
  now: Date,
): Finding[] {
  if (allowances.length === 0) return [...findings];
  const covering = allowances.map((allowance) => ({
    allowance,
    matches: compileKeyGlobs(allowance.keys),
    lapsed: hasLapsed(allowance, now),
    covered: 0,
  }));
  const kept: Finding[] = [];
  for (const finding of findings) {
    const segments = segmentsOrWhole(finding.key);
    let allowed = false;
    for (const entry of covering) {
      const { allowance } = entry;
      const inScope = allowance.rules
        ? allowance.rules.includes(finding.rule)
        : (ALLOWABLE_BY_DEFAULT as readonly string[]).includes(finding.kind);
      if (!inScope) continue;
      if (allowance.envs && !finding.envs.every((env) => allowance.envs?.includes(env))) continue;
      if (!entry.matches(segments)) continue;
      entry.covered++;
      if (!entry.lapsed) allowed = true;
    }
    if (!allowed) kept.push(finding);
  }
  for (const { allowance, lapsed, covered } of covering) {
    if (!lapsed) continue;
    const envs = [...(allowance.envs ?? allEnvs)].sort();
    const key = allowance.keys.join(', ');
    kept.push({
      id: findingId(allowance.id, key, envs),
      rule: allowance.id,
      kind: 'allow',
      severity: allowance.severity ?? 'notice',
      key,
      envs,
      message:
        `the allowance '${allowance.id}' lapsed on ${allowance.until}; ` +
        `${plural(covered, 'finding')} it covered ${covered === 1 ? 'is' : 'are'} reported again (it said: ${allowance.reason})`,
      locations: [],
    });
  }
  return kept;
}

export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      compareCodeUnits(a.key, b.key) ||
      compareCodeUnits(a.rule, b.rule) ||
      compareCodeUnits(a.envs.join(','), b.envs.join(',')) ||
      compareCodeUnits(a.id, b.id),
  );
}
