import { z } from 'zod';
import { commonRuleFields, type RuleBase, type RuleKindModule } from './rule.js';

export const PlaintextRule = z.strictObject({
  ...commonRuleFields,
  kind: z.literal('plaintext'),
  keys: commonRuleFields.keys.default(['**']),
});
export type PlaintextRule = z.infer<typeof PlaintextRule> & RuleBase;

/**
 * A secret written into a file under version control (a `path` or `git`
 * source) is readable by everyone with the repository. Placeholders such as
 * `${DB_PASSWORD}` are not secrets and do not count.
 */
export const plaintext: RuleKindModule<PlaintextRule> = {
  kind: 'plaintext',
  defaultSeverity: 'error',
  schema: PlaintextRule,
  describe: () => 'No secret is written in plain text in a file under version control.',
  check(rule, context) {
    const verdicts = [];
    for (const row of context.rows) {
      for (const index of context.envIndexes) {
        const entry = row.entries[index];
        if (!entry?.sensitive) continue;
        const kind = entry.origin.sourceKind;
        if (kind !== 'path' && kind !== 'git') continue;
        const env = context.matrix.envs[index] as string;
        verdicts.push({
          key: row.key,
          envs: [env],
          message:
            rule.message ??
            `${row.key} holds a secret (${entry.sensitiveReason}) in plain text in ${entry.origin.file}; ` +
              'load it from a secret store or reference it (${VAR}) instead',
          entries: [{ env, entry }],
        });
      }
    }
    return verdicts;
  },
};
