import * as z from 'zod';
import { commonRuleFields, type RuleBase, type RuleKindModule } from './rule.js';

export const PlaintextRule = z.strictObject({
  ...commonRuleFields,
  kind: z.literal('plaintext'),
  keys: commonRuleFields.keys.default(['**']),
});
export type PlaintextRule = z.infer<typeof PlaintextRule> & RuleBase;

/**
 * A secret written into a file under version control (a `git` source's file,
 * or a `path` source's file that git tracks) is readable by everyone with the
 * repository. A git-ignored `.env.local` is not in the repository; an
 * encrypted value (Ansible Vault, SOPS) is not plain text; placeholders such
 * as `${DB_PASSWORD}` are not secrets. None of them count.
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
        if (!entry?.sensitive || entry.sensitiveReason === 'encrypted' || entry.origin.tracked !== true) continue;
        const env = context.matrix.envs[index] as string;
        verdicts.push({
          key: row.key,
          envs: [env],
          message:
            rule.message ??
            `${row.key} holds a secret (${entry.sensitiveReason}) in plain text in ${entry.origin.file}, which is under version control; ` +
              'load it from a secret store or reference it (${VAR}) instead',
          entries: [{ env, entry }],
        });
      }
    }
    return verdicts;
  },
};
