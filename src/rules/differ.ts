import * as z from 'zod';
import { shortFingerprint } from '../snapshot/fingerprint.js';
import { carriesNoValue } from '../snapshot/plain-values.js';
import { sameValue } from '../snapshot/same-value.js';
import type { Entry } from '../snapshot/snapshot.js';
import { cellsOf, commonRuleFields, listOf, present, type RuleBase, type RuleKindModule } from './rule.js';

export const DifferRule = z.strictObject({
  ...commonRuleFields,
  kind: z.literal('differ'),
  keys: commonRuleFields.keys.default(['**']),
  /** `secrets`: only values driftwatch classifies as secret (by name, by shape, or from a Kubernetes Secret). */
  only: z.literal('secrets').optional(),
});
export type DifferRule = z.infer<typeof DifferRule> & RuleBase;

/**
 * Entries with nothing to keep apart: no value, `{}`, `[]`, a boolean (typed
 * or written `"true"`: `HMPPS_SQS_USE_WEB_TOKEN: "true"` under `*_TOKEN` is a
 * switch, not a token), a placeholder (`${DB_PASSWORD}` in every environment
 * says where the secret comes from). A secret's value is never at hand, and
 * never exempt.
 */
function holdsNothingToShare(entry: Entry): boolean {
  if (entry.type === 'null' || entry.type === 'empty-map' || entry.type === 'empty-list') return true;
  return !entry.sensitive && carriesNoValue(entry.value);
}

/**
 * No two environments may share a value (a password, a signing key). Compared
 * by fingerprint, so a shared secret is caught without either value being shown.
 */
export const differ: RuleKindModule<DifferRule> = {
  kind: 'differ',
  defaultSeverity: 'error',
  schema: DifferRule,
  describe: (rule) =>
    `${rule.only === 'secrets' ? 'Secrets' : 'Values'} of ${rule.keys.join(', ')} differ between every two environments.`,
  check(rule, context) {
    const verdicts = [];
    for (const row of context.rows) {
      if (rule.only === 'secrets' && !row.entries.some((entry) => entry?.sensitive)) continue;
      const holders = present(cellsOf(row, context)).filter(
        (cell) => (rule.only !== 'secrets' || cell.entry.sensitive) && !holdsNothingToShare(cell.entry),
      );
      // A handful of environments: comparing pairs beats building a map per key.
      const grouped = new Set<number>();
      for (let i = 0; i < holders.length; i++) {
        if (grouped.has(i)) continue;
        const holder = holders[i] as (typeof holders)[number];
        const sharing = [holder];
        for (let j = i + 1; j < holders.length; j++) {
          const other = holders[j] as (typeof holders)[number];
          if (!sameValue(other.entry, holder.entry)) continue;
          sharing.push(other);
          grouped.add(j);
        }
        if (sharing.length < 2) continue;
        const envs = sharing.map((cell) => cell.env);
        verdicts.push({
          key: row.key,
          envs,
          message:
            rule.message ??
            `${listOf(envs)} share the same value for ${row.key} (${shortFingerprint(holder.entry.fingerprint)})`,
          entries: sharing,
        });
      }
    }
    return verdicts;
  },
};
