import * as z from 'zod';
import { ReferencesConfig } from '../references/config.js';
import { SecretsConfig } from '../snapshot/declared-secrets.js';
import { DEFAULT_HISTORY_SCHEMA, databaseUrlTemplateProblem, HISTORY_SCHEMA_PATTERN } from '../store/database-url.js';
import { DEFAULT_REPORT_CONFIG, ReportConfig } from './report-config.js';
import { SnapshotConfig } from './snapshot-config.js';

export const ENVIRONMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

const EnvironmentName = z.string().regex(ENVIRONMENT_NAME, {
  error: (issue) =>
    `not an environment name: ${/\s/.test(String(issue.input)) ? 'it has a space; ' : ''}` +
    'an environment name is letters, digits, _, . and - (e.g. staging, eu-production)',
});

const INLINE_RULE =
  "expected a rule pack file, not a rule: write the rules in a pack (rules/team.yaml, under its own 'rules:' key) and list the file here, as in rules: [driftwatch:recommended, rules/team.yaml]";
const NOT_A_PACK =
  'a rule pack is a file or glob relative to driftwatch.yaml (rules/*.yaml) or a built-in (driftwatch:recommended)';

/**
 * Rule pack names. A rule written inline (a map with `id` and `kind`) is the
 * mistake people make, so it is named as such — once, at the first one, not
 * once per rule.
 */
const RulePacks = z
  .array(z.unknown())
  .superRefine((entries, context) => {
    let inlineSeen = false;
    for (const [index, entry] of entries.entries()) {
      if (typeof entry === 'string' && entry !== '') continue;
      const inline = typeof entry === 'object' && entry !== null && !Array.isArray(entry);
      if (inline && inlineSeen) continue;
      inlineSeen ||= inline;
      context.addIssue({ code: 'custom', path: [index], message: inline ? INLINE_RULE : NOT_A_PACK, input: entry });
    }
  })
  .transform((entries) => entries.filter((entry): entry is string => typeof entry === 'string'));

/**
 * driftwatch.yaml. Sources are validated one by one against their own kind's
 * schema (see src/sources), so that a typo names the source kind it meant.
 */
export const ConfigFile = z.strictObject({
  version: z.literal(1, { error: 'expected version: 1' }),
  environments: z
    .record(
      EnvironmentName,
      z.strictObject({
        sources: z.array(z.unknown()).min(1, 'an environment needs at least one source'),
      }),
    )
    .refine((environments) => Object.keys(environments).length > 0, 'define at least one environment'),
  /** Rule packs: files or globs relative to the config, or built-ins such as `driftwatch:recommended`. */
  rules: RulePacks.default(['driftwatch:recommended']),
  /** Keys that must no longer exist anywhere (retired credentials); the recommended pack forbids them. */
  retiredKeys: z.array(z.string().min(1)).optional(),
  /** The old name of `retiredKeys`: still read, with a deprecation notice (see load.ts). */
  retired: z.array(z.string().min(1)).optional(),
  /** Where code reads configuration; absent, no code is scanned and reference rules cannot run. */
  references: ReferencesConfig.optional(),
  /** What is and is not secret beyond the built-in detection: key globs under `always` and `never`. */
  secrets: SecretsConfig.default({ always: [], never: [] }),
  /** `serve`: snapshot every environment into the history on `snapshot.schedule`. */
  snapshot: SnapshotConfig.optional(),
  /** The drift digest: `driftwatch report`, and `serve` on `report.schedule`. */
  report: ReportConfig.default(DEFAULT_REPORT_CONFIG),
  /** Snapshot history (`snapshot --store`): where it is kept, and how long; each environment's latest snapshot always is. */
  history: z
    .strictObject({
      keepDays: z.number().int().positive('keepDays is a whole number of days, at least 1').default(90),
      /** A PostgreSQL URL with `${VAR}`s for what must not be committed; DRIFTWATCH_DATABASE_URL overrides it. */
      database: z
        .string()
        .min(1)
        .refine((template) => databaseUrlTemplateProblem(template) === undefined, {
          error: (issue) => databaseUrlTemplateProblem(String(issue.input)),
        })
        .optional(),
      /** The PostgreSQL schema that holds every table of the history (never the application's `public`). */
      schema: z
        .string()
        .regex(
          HISTORY_SCHEMA_PATTERN,
          'a schema name is lower-case letters, digits and _, starting with a letter or _ (e.g. driftwatch)',
        )
        .default(DEFAULT_HISTORY_SCHEMA),
    })
    .default({ keepDays: 90, schema: DEFAULT_HISTORY_SCHEMA }),
});
export type ConfigFile = z.infer<typeof ConfigFile>;
