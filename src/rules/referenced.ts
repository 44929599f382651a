import * as z from 'zod';
import { plural } from '../plural.js';
import { KubernetesKeys } from '../references/kubernetes-keys.js';
import { staleKeys } from '../references/stale-keys.js';
import { cellsOf, commonRuleFields, listOf, present, type RuleBase, type RuleKindModule } from './rule.js';

export const ReferencedRule = z.strictObject({
  ...commonRuleFields,
  kind: z.literal('referenced'),
  keys: commonRuleFields.keys.default(['**']),
});
export type ReferencedRule = z.infer<typeof ReferencedRule> & RuleBase;

/**
 * A configured key that no code reads is stale: a retired credential, a
 * removed feature's flag. A Kubernetes resource's bookkeeping (`apiVersion`,
 * `metadata.*`, `type`, a Deployment's spec) never is: the platform reads it.
 * Reads the scanner could not resolve
 * (`process.env[name]`) could read anything, so the message says how many
 * there were: the verdict is only as good as the scan.
 */
export const referenced: RuleKindModule<ReferencedRule> = {
  kind: 'referenced',
  defaultSeverity: 'warning',
  needs: 'references',
  schema: ReferencedRule,
  describe: (rule) => `Keys matching ${rule.keys.join(', ')} are read somewhere in the code.`,
  check(rule, context) {
    const references = context.references;
    if (!references) return [];
    // Resources are recognised by their apiVersion, which the rule's own keys may leave out.
    const kubernetes = KubernetesKeys.of(context.matrix.rows.map((row) => row.key));
    const stale = new Set(
      staleKeys(
        context.rows.map((row) => row.key),
        references.index,
        references.mode,
        kubernetes,
      ),
    );
    const blind = references.index.unresolvable.length;
    const caveat = blind === 0 ? '' : ` (${plural(blind, 'dynamic read')} could not be resolved)`;
    const verdicts = [];
    for (const row of context.rows) {
      if (!stale.has(row.key)) continue;
      const holders = present(cellsOf(row, context));
      if (holders.length === 0) continue;
      const envs = holders.map((cell) => cell.env);
      verdicts.push({
        key: row.key,
        envs,
        message: rule.message ?? `nothing in the code reads ${row.key}, still set in ${listOf(envs)}${caveat}`,
        entries: holders,
      });
    }
    return verdicts;
  },
};
