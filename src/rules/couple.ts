import picomatch from 'picomatch';
import * as z from 'zod';
import type { KeyMatrix } from '../compare/matrix.js';
import type { FindingLocation } from '../report/report.js';
import { sameValue } from '../snapshot/same-value.js';
import type { Entry } from '../snapshot/snapshot.js';
import { compileKeyGlob, KeyGlobSyntaxError } from './key-glob.js';
import { commonRuleFields, listOf, type RuleBase, type RuleKindModule, type Verdict } from './rule.js';

/** How many changed files a message names before it says "and N more". */
const NAMED_FILES = 3;

const CodeGlob = z
  .string()
  .min(1)
  .refine((glob) => !glob.startsWith('/') && !/(^|\/)\.\.(\/|$)/.test(glob), {
    error: 'globs are relative to the config file and stay below it (no leading / and no ..)',
  });

const ConfigKeyGlob = z
  .string()
  .min(1)
  .superRefine((glob, context) => {
    try {
      compileKeyGlob(glob);
    } catch (error) {
      if (!(error instanceof KeyGlobSyntaxError)) throw error;
      context.addIssue({ code: 'custom', message: error.message });
    }
  });

export const CoupleRule = z
  .strictObject({
    id: commonRuleFields.id,
    kind: z.literal('couple'),
    /** Code paths (file globs relative to the config file) whose change needs a config change. */
    when: z.array(CodeGlob).min(1, 'list at least one file glob'),
    /** Key globs: each must see a change (added, changed, removed) in every environment the rule covers. */
    require: z.array(ConfigKeyGlob).min(1, 'list at least one key glob'),
    envs: commonRuleFields.envs,
    severity: commonRuleFields.severity,
    message: commonRuleFields.message,
  })
  // The engine selects rows by `keys`: for this kind they are the keys that must change.
  .transform((rule) => ({ ...rule, keys: rule.require }));
export type CoupleRule = z.infer<typeof CoupleRule> & RuleBase;

/**
 * When a pull request changes these code paths, these config keys must
 * change too, in every environment: the hotfix that reads a new setting and
 * ships without it. Needs the pull request's changed files and its base's
 * snapshots; outside a pull request it has nothing to compare, and `check`
 * says so instead of passing.
 */
export const couple: RuleKindModule<CoupleRule> = {
  kind: 'couple',
  defaultSeverity: 'error',
  needs: 'changes',
  // A required key that exists nowhere yet is what the rule reports itself: not a typo to warn about.
  whenKeysMatchNothing: 'pass',
  schema: CoupleRule,
  describe: (rule) =>
    `When files matching ${rule.when.join(', ')} change, keys matching ${rule.require.join(', ')} change too (pull requests).`,
  check(rule, context) {
    const changes = context.changes;
    if (!changes) return [];
    const touches = picomatch([...rule.when], { dot: true });
    const touched = [...new Set(changes.files.filter((file) => touches(file)))].sort();
    if (touched.length === 0) return [];
    const envs = context.envIndexes.map((index) => context.matrix.envs[index] as string);
    const verdicts: Verdict[] = [];
    for (const glob of rule.require) {
      const matches = compileKeyGlob(glob);
      const unchanged = envs.filter(
        (env) =>
          !changedUnder(matches, context.matrix, env, changes.base) &&
          !changedUnder(matches, changes.base, env, context.matrix),
      );
      if (unchanged.length === 0) continue;
      const named = touched.slice(0, NAMED_FILES).join(', ');
      const more = touched.length > NAMED_FILES ? ` and ${touched.length - NAMED_FILES} more` : '';
      const locations: FindingLocation[] = unchanged.map((env) => ({ env, file: touched[0] as string }));
      verdicts.push({
        key: glob,
        envs: unchanged,
        message:
          rule.message ??
          `${named}${more} changed, but no key matching ${glob} changed in ${listOf(unchanged)} (rule: when ${rule.when.join(', ')} change, ${glob} changes too)`,
        entries: [],
        locations,
      });
    }
    return verdicts;
  },
};

/** Whether some key matching the glob in `matrix` differs, in `env`, from the same key in `other`. */
function changedUnder(
  matches: ReturnType<typeof compileKeyGlob>,
  matrix: KeyMatrix,
  env: string,
  other: KeyMatrix,
): boolean {
  const index = matrix.envs.indexOf(env);
  const otherIndex = other.envs.indexOf(env);
  if (index === -1) return false;
  for (const row of matrix.rows) {
    const entry = row.entries[index];
    if (entry === undefined || !matches(row.segments)) continue;
    const before = otherIndex === -1 ? undefined : other.find(row.key)?.entries[otherIndex];
    if (differs(entry, before)) return true;
  }
  return false;
}

/** A key changed when it appeared, disappeared, or its value or type differs; a moved line is no change. */
function differs(entry: Entry, other: Entry | undefined): boolean {
  return other === undefined || !sameValue(other, entry);
}
