import * as z from 'zod';
import { missingKeys } from '../references/missing-keys.js';
import type { FindingLocation } from '../report/report.js';
import { segmentsOrWhole } from '../snapshot/key-path.js';
import { compileKeyGlob, compileKeyGlobs } from './key-glob.js';
import { commonRuleFields, type RuleBase, type RuleKindModule, type Verdict } from './rule.js';

/** Variables every process has, which no deployment configures. */
const PROCESS_VARIABLES = [
  'HOME',
  'PATH',
  'PWD',
  'USER',
  'SHELL',
  'TMPDIR',
  'TEMP',
  'TMP',
  'HOSTNAME',
  'LANG',
  'TERM',
  'CI',
];

export const MissingReferenceRule = z.strictObject({
  ...commonRuleFields,
  kind: z.literal('missing-reference'),
  /** Globs over the names the code reads (`DB_URL`, `db.url`); every name by default. */
  keys: commonRuleFields.keys.default(['**']),
  /** Names to leave out: read by code but configured elsewhere (the platform, the shell). */
  ignore: z.array(z.string().min(1)).default([]),
});
export type MissingReferenceRule = z.infer<typeof MissingReferenceRule> & RuleBase;

/**
 * The code reads a key that an environment does not define: the hotfix that
 * needs a setting production never got. Located at the reads in the code. A
 * read that has a default (`process.env.X ?? 'x'`, `${X:-x}`) is only a notice.
 */
export const missingReference: RuleKindModule<MissingReferenceRule> = {
  kind: 'missing-reference',
  defaultSeverity: 'error',
  needs: 'references',
  schema: MissingReferenceRule,
  describe: () => 'Every key the code reads is defined in every environment.',
  // `keys` filter the names the code reads, not configured keys: a glob no read matches checks nothing.
  unmatchedKeys(rule, context) {
    const names = [...(context.references?.index.references.keys() ?? [])].map(segmentsOrWhole);
    return rule.keys.filter((glob) => {
      const matches = compileKeyGlob(glob);
      return !names.some((segments) => matches(segments));
    });
  },
  check(rule, context) {
    const references = context.references;
    if (!references) return [];
    const wanted = compileKeyGlobs(rule.keys);
    const ignored = compileKeyGlobs([...PROCESS_VARIABLES, ...rule.ignore]);
    const envKeys = new Map<string, string[]>();
    for (const index of context.envIndexes) {
      const env = context.matrix.envs[index] as string;
      envKeys.set(
        env,
        context.matrix.rows.filter((row) => row.entries[index] !== undefined).map((row) => row.key),
      );
    }
    const verdicts: Verdict[] = [];
    for (const missing of missingKeys(envKeys, references.index, references.mode)) {
      const segments = segmentsOrWhole(missing.key);
      if (!wanted(segments) || ignored(segments)) continue;
      const locations: FindingLocation[] = missing.sites.map((site) => ({
        env: missing.env,
        file: site.file,
        line: site.line,
        column: site.column,
      }));
      const first = missing.sites[0];
      const where = first ? ` (${first.file}:${first.line})` : '';
      verdicts.push({
        key: missing.key,
        envs: [missing.env],
        message:
          rule.message ??
          `the code reads ${missing.key}${where} but ${missing.env} does not define it` +
            (missing.optional ? '; every read has a default, so it falls back to that' : ''),
        entries: [],
        locations,
        ...(missing.optional ? { severity: 'notice' as const } : {}),
      });
    }
    return verdicts;
  },
};
