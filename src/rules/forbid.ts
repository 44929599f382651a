import * as z from 'zod';
import { cellsOf, commonRuleFields, listOf, present, type RuleBase, type RuleKindModule } from './rule.js';

export const ForbidRule = z.strictObject({
  ...commonRuleFields,
  kind: z.literal('forbid'),
  /**
   * `retiredKeys`: also forbid the keys listed under `retiredKeys:` in
   * driftwatch.yaml, so a built-in pack can carry the rule while each team
   * lists its own keys. (`retired`, the old spelling, still loads: load-packs.ts.)
   */
  keysFrom: z.literal('retiredKeys').optional(),
  keys: commonRuleFields.keys.default([]),
});
export type ForbidRule = z.infer<typeof ForbidRule> & RuleBase;

/** None of the listed keys may exist: retired credentials, removed features. */
export const forbid: RuleKindModule<ForbidRule> = {
  kind: 'forbid',
  defaultSeverity: 'error',
  schema: ForbidRule,
  // Matching nothing is a pass: the forbidden keys are gone.
  whenKeysMatchNothing: 'pass',
  describe: (rule) => `No environment defines ${rule.keys.join(', ') || 'a retired key'}.`,
  check(rule, context) {
    const verdicts = [];
    for (const row of context.rows) {
      const holders = present(cellsOf(row, context));
      if (holders.length === 0) continue;
      const envs = holders.map((cell) => cell.env);
      verdicts.push({
        key: row.key,
        envs,
        message: rule.message ?? `${row.key} is forbidden but still set in ${listOf(envs)}`,
        entries: holders,
      });
    }
    return verdicts;
  },
};
