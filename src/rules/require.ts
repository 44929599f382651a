import * as z from 'zod';
import { compileKeyGlob } from './key-glob.js';
import { cellsOf, commonRuleFields, present, type RuleBase, type RuleKindModule } from './rule.js';

export const RequireRule = z.strictObject({ ...commonRuleFields, kind: z.literal('require') });
export type RequireRule = z.infer<typeof RequireRule> & RuleBase;

/**
 * Every environment must define each listed key. A glob is satisfied by any
 * key matching it, so `keys: [db.*]` asks for at least one `db` setting.
 */
export const require: RuleKindModule<RequireRule> = {
  kind: 'require',
  defaultSeverity: 'error',
  schema: RequireRule,
  // Matching nothing is already this rule's finding: the required key is missing.
  whenKeysMatchNothing: 'pass',
  describe: (rule) => `Every environment defines ${rule.keys.join(', ')}.`,
  check(rule, context) {
    const verdicts = [];
    for (const glob of rule.keys) {
      const matches = compileKeyGlob(glob);
      const matching = context.rows.filter((row) => matches(row.segments));
      for (const index of context.envIndexes) {
        const env = context.matrix.envs[index] as string;
        if (matching.some((row) => row.entries[index] !== undefined)) continue;
        // Point at where other environments define it: the place to copy from.
        const holders = matching.flatMap((row) => present(cellsOf(row, context)));
        verdicts.push({
          key: glob,
          envs: [env],
          message: rule.message ?? `${env} does not define ${glob}, which is required`,
          entries: holders.slice(0, 3),
        });
      }
    }
    return verdicts;
  },
};
