import * as z from 'zod';
import { compileExtractorPattern } from './extract-user.js';

/**
 * Always left out of a scan unless `defaultExcludes: false`: dependencies,
 * build output and VCS internals are somebody else's code, and their reads of
 * `process.env` would make every key look used.
 */
export const DEFAULT_EXCLUDES: readonly string[] = [
  '**/node_modules/**',
  '**/.git/**',
  '**/dist/**',
  '**/vendor/**',
  '**/coverage/**',
  '**/*.min.js',
  '**/*.map',
];

const Glob = z
  .string()
  .min(1)
  .refine((glob) => !glob.startsWith('/') && !/(^|\/)\.\.(\/|$)/.test(glob), {
    error: 'globs are relative to the config file and stay below it (no leading / and no ..)',
  })
  .refine((glob) => !glob.startsWith('!'), { error: "negated globs are not supported here; use 'exclude'" });

/** Why a user extractor's pattern cannot be used, or undefined when it can. */
export function extractorPatternProblem(pattern: string): string | undefined {
  let probe: RegExp;
  try {
    compileExtractorPattern(pattern);
    // An empty alternative makes the probe match '', which lists every named group.
    probe = new RegExp(`(?:${pattern})|`, 'm');
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^.*: /, '') : String(error);
    return `not a valid regular expression (${reason})`;
  }
  const groups = probe.exec('')?.groups;
  if (!groups || !('key' in groups)) return 'the pattern needs a named group (?<key>...) around the key name';
  return undefined;
}

export const UserExtractorConfig = z.strictObject({
  /** Names the extractor in messages. */
  name: z.string().min(1),
  /** A JavaScript regular expression (source, no slashes or flags) with a named group `key`. */
  pattern: z.string().superRefine((pattern, context) => {
    const problem = extractorPatternProblem(pattern);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  }),
  /** Files it reads; a glob without `/` matches the file name in any directory. Default: every scanned file. */
  files: z.array(Glob).min(1).optional(),
});
export type UserExtractorConfig = z.infer<typeof UserExtractorConfig>;

export const MATCH_MODES = ['exact', 'relaxed'] as const;
export type MatchMode = (typeof MATCH_MODES)[number];

/** The `references:` block of driftwatch.yaml. */
export const ReferencesConfig = z.strictObject({
  /** Files to scan, as globs relative to the config file. */
  include: z.array(Glob).default(['**/*']),
  exclude: z.array(Glob).default([]),
  /** Whether `DEFAULT_EXCLUDES` are added to `exclude`. */
  defaultExcludes: z.boolean().default(true),
  /** `relaxed`: Spring-style relaxed binding (`payments.api-key` is read as `PAYMENTS_APIKEY`); see match.ts. */
  match: z.enum(MATCH_MODES).default('exact'),
  extractors: z
    .array(UserExtractorConfig)
    .default([])
    .superRefine((extractors, context) => {
      const seen = new Set<string>();
      for (const [index, extractor] of extractors.entries()) {
        if (seen.has(extractor.name)) {
          context.addIssue({
            code: 'custom',
            path: [index, 'name'],
            message: `another extractor is already named '${extractor.name}'`,
          });
        }
        seen.add(extractor.name);
      }
    }),
});
export type ReferencesConfig = z.infer<typeof ReferencesConfig>;

/** The exclude globs a scan applies. */
export function effectiveExcludes(config: Pick<ReferencesConfig, 'exclude' | 'defaultExcludes'>): string[] {
  return config.defaultExcludes ? [...DEFAULT_EXCLUDES, ...config.exclude] : [...config.exclude];
}
