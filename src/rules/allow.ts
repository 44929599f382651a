import * as z from 'zod';
import type { Problem } from '../errors.js';
import type { LoadedRule } from './load-packs.js';
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

/** Built-in rules that were renamed: an allowance naming the old id still covers the rule, with a notice. */
const RENAMED_RULE_IDS: Readonly<Record<string, string>> = { 'retired-elsewhere': 'removed-elsewhere' };

/**
 * Every rule an allowance names under `rules:` must exist in some pack (or be
 * built in): a misspelt id would allow nothing, silently. Judged once every
 * pack is loaded, at the allowance's pack and line. An old id of a renamed
 * built-in rule is replaced in place (`loaded` changes) and reported to `onNotice`.
 */
export function unknownAllowedRules(loaded: LoadedRule[], onNotice: (notice: Problem) => void = () => {}): Problem[] {
  const ids = loaded.map(({ rule }) => rule.id);
  const known = new Set(ids);
  const problems: Problem[] = [];
  for (const [index, entry] of loaded.entries()) {
    const { rule, pack, line } = entry;
    if (rule.kind !== 'allow') continue;
    const named = (rule as AllowRule).rules ?? [];
    const current = named.map((id) => {
      const renamed = RENAMED_RULE_IDS[id];
      if (known.has(id) || renamed === undefined || !known.has(renamed)) return id;
      onNotice({ file: pack, line, message: `rule '${rule.id}' (allow): rules: '${id}' is now called '${renamed}'` });
      return renamed;
    });
    if (current.some((id, at) => id !== named[at]))
      loaded[index] = { ...entry, rule: { ...rule, rules: current } as AllowRule };
    for (const id of current) {
      if (known.has(id)) continue;
      const closest = closestId(id, ids);
      const hint = closest ? `; did you mean '${closest}'?` : `; the rules are ${[...known].sort().join(', ')}`;
      problems.push({
        file: pack,
        line,
        message: `rule '${rule.id}' (allow): rules: no rule '${id}' is defined${hint}`,
      });
    }
  }
  return problems;
}

/** The id at most a third of its letters away from `id` (a typo), if one is. */
function closestId(id: string, ids: readonly string[]): string | undefined {
  let best: { id: string; distance: number } | undefined;
  for (const candidate of ids) {
    const distance = editDistance(id, candidate);
    if (distance <= Math.max(1, Math.floor(id.length / 3)) && (!best || distance < best.distance)) {
      best = { id: candidate, distance };
    }
  }
  return best?.id;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] as number;
}
