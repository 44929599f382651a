import * as z from 'zod';
import { compareCodeUnits } from '../compare-code-units.js';
import { SourceError } from '../errors.js';
import type { Leaf } from '../formats/format.js';
import { commonSourceFields, type Source } from './source.js';

const EnvFilter = z
  .strictObject({
    /** Keeps only the variables whose names start with this (`APP_`); not the common `prefix`, which is a mount point. */
    only: z.string().min(1).optional(),
    /** Removes `only` from the keys: `APP_DB_HOST` becomes `DB_HOST`. */
    strip: z.boolean().optional(),
  })
  .refine((filter) => !filter.strip || filter.only !== undefined, {
    error: 'strip removes the `only` prefix from names, so it needs `only`',
    path: ['strip'],
  });

/**
 * No `format` field: the variables are leaves already, and a format that
 * would silently be ignored is a trap.
 */
export const EnvSourceSpec = z.strictObject({
  env: z.union([z.literal(true), EnvFilter], {
    error: "expected 'env: true' or 'env: {only: APP_, strip: true}'",
  }),
  prefix: commonSourceFields.prefix,
  allowEmpty: commonSourceFields.allowEmpty,
});
export type EnvSourceSpec = z.infer<typeof EnvSourceSpec>;

function filterOf(spec: EnvSourceSpec): { only?: string; strip: boolean } {
  if (spec.env === true) return { strip: false };
  return { only: spec.env.only, strip: spec.env.strip ?? false };
}

function describeEnv(spec: EnvSourceSpec): string {
  const { only, strip } = filterOf(spec);
  if (only === undefined) return 'env';
  return strip ? `env: ${only}* (prefix stripped)` : `env: ${only}*`;
}

/**
 * driftwatch's own process environment as one document: one string leaf per
 * variable, sorted by name. Leaves have line 0 and column 0, meaning "no
 * line": the snapshot gives their keys an origin without one.
 */
export const envSource: Source<EnvSourceSpec> = {
  kind: 'env',
  schema: EnvSourceSpec,
  describe: describeEnv,
  async read(spec, context) {
    const { only, strip } = filterOf(spec);
    const variables: [string, string][] = [];
    for (const [name, value] of Object.entries(context.env)) {
      if (value === undefined) continue;
      if (only === undefined) {
        variables.push([name, value]);
        continue;
      }
      // A variable named exactly `APP_` would strip to an empty key: it is not one of `APP_*`.
      if (!name.startsWith(only) || name === only) continue;
      variables.push([strip ? name.slice(only.length) : name, value]);
    }
    if (variables.length === 0 && spec.allowEmpty !== true) {
      const message =
        only === undefined
          ? 'the environment has no variables'
          : `no environment variable starts with '${only}' (a filter that matches nothing is an error, not an empty environment; set 'allowEmpty: true' on the source if that can be right)`;
      throw new SourceError([{ source: describeEnv(spec), message }]);
    }
    // Code-unit order, not locale order: the same on every machine.
    variables.sort(([a], [b]) => compareCodeUnits(a, b));
    const leaves = variables.map(([key, value]): Leaf => ({ path: [key], value, type: 'string', line: 0, column: 0 }));
    return [{ origin: 'env', leaves }];
  },
};
