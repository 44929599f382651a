import * as z from 'zod';
import { cellsOf, commonRuleFields, listOf, present, type RuleBase, type RuleKindModule } from './rule.js';

export const ParityRule = z.strictObject({
  ...commonRuleFields,
  kind: z.literal('parity'),
  keys: commonRuleFields.keys.default(['**']),
});
export type ParityRule = z.infer<typeof ParityRule> & RuleBase;

/** A key that one environment has must exist in all of them. */
export const parity: RuleKindModule<ParityRule> = {
  kind: 'parity',
  defaultSeverity: 'warning',
  schema: ParityRule,
  describe: (rule) => `Keys matching ${rule.keys.join(', ')} exist in every environment.`,
  check(rule, context) {
    const verdicts = [];
    for (const row of context.rows) {
      // Most keys are everywhere: check before allocating anything.
      if (context.envIndexes.every((index) => row.entries[index] !== undefined)) continue;
      const cells = cellsOf(row, context);
      const missing = cells.filter((cell) => cell.entry === undefined).map((cell) => cell.env);
      const holders = present(cells);
      verdicts.push({
        key: row.key,
        envs: missing,
        message:
          rule.message ??
          `${row.key} is set in ${listOf(holders.map((cell) => cell.env))} but missing from ${listOf(missing)}`,
        entries: holders,
      });
    }
    return verdicts;
  },
};
