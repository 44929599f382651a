import { z } from 'zod';
import { ReferencesConfig } from '../references/config.js';
import { SecretsConfig } from '../snapshot/declared-secrets.js';
import { DEFAULT_REPORT_CONFIG, ReportConfig } from './report-config.js';

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
  /** What is and is not secret beyond the built-in detection: key globs under `always` and `never`. */
  secrets: SecretsConfig.default({ always: [], never: [] }),
  /** Snapshot history (`snapshot --store`): how long stored snapshots are kept; each environment's latest always is. */
  history: z
    .strictObject({ keepDays: z.number().int().positive('keepDays is a whole number of days, at least 1').default(90) })
    .default({ keepDays: 90 }),
  /** The drift digest: `driftwatch report`, and `serve` on `report.schedule`. */
  report: ReportConfig.default(DEFAULT_REPORT_CONFIG),
});
export type ConfigFile = z.infer<typeof ConfigFile>;
