import * as z from 'zod';
import type { KeyRow } from '../compare/matrix.js';
import { compareCodeUnits } from '../compare-code-units.js';
import { plural } from '../plural.js';
import {
  cellsOf,
  commonRuleFields,
  listOf,
  present,
  type RuleBase,
  type RuleContext,
  type RuleKindModule,
} from './rule.js';

const DAY_MS = 86_400_000;

export const RemovedElsewhereRule = z.strictObject({
  ...commonRuleFields,
  kind: z.literal('removed-elsewhere'),
  keys: commonRuleFields.keys.default(['**']),
  /** The environment the key was removed from; absent, any environment. Checked against the config like `envs`. */
  from: z.string().min(1).optional(),
  /** Days a removal may take to reach the other environments before the key left behind is stale. */
  after: z.number().int().nonnegative().default(14),
});
export type RemovedElsewhereRule = z.infer<typeof RemovedElsewhereRule> & RuleBase;

interface Removal {
  readonly env: string;
  readonly removedAt: string;
}

/**
 * A key removed from one environment long ago and still set in another is
 * stale: the global OAuth credentials staging dropped and production kept.
 * Removals come from the snapshot history, so the rule sees what no single
 * snapshot can. (Once called `kind: retired`, a name it shared with the list
 * of retired keys; the old name still loads, with a notice.)
 */
export const removedElsewhere: RuleKindModule<RemovedElsewhereRule> = {
  kind: 'removed-elsewhere',
  defaultSeverity: 'error',
  needs: 'history',
  // Matching nothing is a pass: no environment holds the keys any more.
  whenKeysMatchNothing: 'pass',
  environmentFields: ['from'],
  schema: RemovedElsewhereRule,
  describe: (rule) =>
    `Keys matching ${rule.keys.join(', ')} removed from ${rule.from ?? 'any environment'} more than ${plural(rule.after, 'day')} ago are gone from the other environments too.`,
  check(rule, context) {
    const removalsByKey = staleRemovals(rule, context);
    if (removalsByKey.size === 0) return [];
    const verdicts = [];
    for (const row of context.rows) {
      // An environment that has the key again in its live configuration has not removed it.
      const removals = (removalsByKey.get(row.key) ?? []).filter((removal) => !holdsNow(row, removal.env, context));
      if (removals.length === 0) continue;
      const gone = new Set(removals.map((removal) => removal.env));
      const holders = present(cellsOf(row, context)).filter((cell) => !gone.has(cell.env) && cell.env !== rule.from);
      if (holders.length === 0) continue;
      const envs = holders.map((cell) => cell.env);
      const when = listOf(removals.map((removal) => describeRemoval(removal, context.now)));
      verdicts.push({
        key: row.key,
        envs,
        message: rule.message ?? `${row.key} was removed from ${when} and is still set in ${listOf(envs)}`,
        entries: holders,
      });
    }
    return verdicts;
  },
};

/** Removals older than `after` days, by key, oldest first. */
function staleRemovals(rule: RemovedElsewhereRule, context: RuleContext): Map<string, Removal[]> {
  const byKey = new Map<string, Removal[]>();
  const removedKeys = context.history?.removedKeys;
  if (!removedKeys) return byKey;
  const cutoff = context.now.getTime() - rule.after * DAY_MS;
  const envs = rule.from === undefined ? [...removedKeys.keys()] : [rule.from];
  for (const env of envs) {
    for (const { key, removedAt } of removedKeys.get(env) ?? []) {
      if (!(Date.parse(removedAt) < cutoff)) continue;
      const removals = byKey.get(key) ?? [];
      removals.push({ env, removedAt });
      byKey.set(key, removals);
    }
  }
  for (const removals of byKey.values()) {
    removals.sort((a, b) => compareCodeUnits(a.removedAt, b.removedAt) || compareCodeUnits(a.env, b.env));
  }
  return byKey;
}

function holdsNow(row: KeyRow, env: string, context: RuleContext): boolean {
  const index = context.matrix.envs.indexOf(env);
  return index >= 0 && row.entries[index] !== undefined;
}

/** `staging 47 days ago (2026-10-09)` */
function describeRemoval(removal: Removal, now: Date): string {
  const elapsed = Math.floor((now.getTime() - Date.parse(removal.removedAt)) / DAY_MS);
  return `${removal.env} ${plural(elapsed, 'day')} ago (${removal.removedAt.slice(0, 10)})`;
}
