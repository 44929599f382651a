import { z } from 'zod';
import type { Entry } from '../snapshot/snapshot.js';
import { withoutEnvName } from './normalize.js';
import { cellsOf, commonRuleFields, listOf, present, type RuleBase, type RuleKindModule } from './rule.js';

export const EqualRule = z.strictObject({
  ...commonRuleFields,
  kind: z.literal('equal'),
  normalize: z.literal('env-names').optional(),
});
export type EqualRule = z.infer<typeof EqualRule> & RuleBase;

/** What "the same value" means for an entry. Secrets compare by fingerprint only: their values are never at hand. */
function comparable(entry: Entry, env: string, rule: EqualRule): string {
  if (entry.sensitive || rule.normalize !== 'env-names' || typeof entry.value !== 'string') {
    return `${entry.type}\u0000${entry.fingerprint}`;
  }
  return `${entry.type}\u0000${withoutEnvName(entry.value, env)}`;
}

function allSame(holders: readonly { env: string; entry: Entry }[], rule: EqualRule): boolean {
  const [first, ...rest] = holders as [{ env: string; entry: Entry }, ...{ env: string; entry: Entry }[]];
  if (rule.normalize !== 'env-names') {
    // The common case, without building strings: same type and same fingerprint.
    return rest.every(
      (cell) => cell.entry.type === first.entry.type && cell.entry.fingerprint === first.entry.fingerprint,
    );
  }
  const expected = comparable(first.entry, first.env, rule);
  return rest.every((cell) => comparable(cell.entry, cell.env, rule) === expected);
}

/** Where a key exists in several environments, it holds the same value in all of them. */
export const equal: RuleKindModule<EqualRule> = {
  kind: 'equal',
  defaultSeverity: 'error',
  schema: EqualRule,
  describe: (rule) =>
    `Keys matching ${rule.keys.join(', ')} hold the same value in every environment` +
    (rule.normalize ? ', environment names aside.' : '.'),
  check(rule, context) {
    const verdicts = [];
    for (const row of context.rows) {
      const holders = present(cellsOf(row, context));
      if (holders.length < 2) continue;
      if (allSame(holders, rule)) continue;
      verdicts.push({
        key: row.key,
        envs: holders.map((cell) => cell.env),
        message: rule.message ?? `${row.key} differs across ${listOf(holders.map((cell) => cell.env))}`,
        entries: holders,
      });
    }
    return verdicts;
  },
};
