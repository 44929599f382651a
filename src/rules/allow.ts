import { z } from 'zod';
import { commonRuleFields, type RuleBase, RuleId, type RuleKindModule } from './rule.js';

const IsoDate = z.union([z.string(), z.date()]).transform((value, context) => {
  const text = value instanceof Date ? value.toISOString().slice(0, 10) : value;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(`${text}T00:00:00Z`))) {
    context.addIssue({ code: 'custom', message: `expected a date like 2027-06-30, got '${text}'` });
    return z.NEVER;
  }
  return text;
});

export const AllowRule = z.strictObject({
  ...commonRuleFields,
  kind: z.literal('allow'),
  reason: z.string().min(1, 'say why this drift is expected'),
  /** The last day the allowance holds (UTC); after it, the drift resurfaces. */
  until: IsoDate.optional(),
  /** The rules whose findings this allowance covers; parity and equal rules by default. */
  rules: z.array(RuleId).min(1).optional(),
});
export type AllowRule = z.infer<typeof AllowRule> & RuleBase;

/** The kinds of rule an allowance covers when it does not name rules: the ones that report drift. */
export const ALLOWABLE_BY_DEFAULT = ['parity', 'equal'] as const;

/**
 * Declared drift. An allowance finds nothing itself: the engine drops the
 * findings it covers, and once `until` has passed, stops dropping them and
 * adds a notice that the allowance lapsed.
 */
export const allow: RuleKindModule<AllowRule> = {
  kind: 'allow',
  defaultSeverity: 'notice',
  schema: AllowRule,
  describe: (rule) =>
    `Drift in ${rule.keys.join(', ')} is expected: ${rule.reason}${rule.until ? ` (until ${rule.until})` : ''}`,
  check: () => [],
};

/** An allowance lapses at the end of its `until` day, UTC. */
export function hasLapsed(rule: AllowRule, now: Date): boolean {
  return rule.until !== undefined && now.getTime() >= Date.parse(`${rule.until}T00:00:00Z`) + 86_400_000;
}
