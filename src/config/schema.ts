import { z } from 'zod';
import { ReferencesConfig } from '../references/config.js';
import { DEFAULT_HISTORY_SCHEMA, databaseUrlTemplateProblem, HISTORY_SCHEMA_PATTERN } from '../store/database-url.js';

const EnvironmentName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'an environment name is letters, digits, _, . and - (e.g. staging)');

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
  rules: z.array(z.string().min(1)).default(['driftwatch:recommended']),
  /** Keys that must no longer exist anywhere (retired credentials); the recommended pack forbids them. */
  retired: z.array(z.string().min(1)).default([]),
  /** Where code reads configuration; absent, no code is scanned and reference rules cannot run. */
  references: ReferencesConfig.optional(),
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
