import * as z from 'zod';
import { compileKeyGlobs, KeyGlobSyntaxError, type KeyMatcher } from '../rules/key-glob.js';

/** A key glob as rule packs write them (`hero.signing_*`, `FEATURE_*`, `**.password`), checked when the config loads. */
const KeyGlob = z
  .string()
  .min(1, 'a key glob cannot be empty')
  .superRefine((glob, context) => {
    try {
      compileKeyGlobs([glob]);
    } catch (error) {
      if (!(error instanceof KeyGlobSyntaxError)) throw error;
      context.addIssue({ code: 'custom', message: error.message });
    }
  });

/**
 * `secrets:` in driftwatch.yaml: what is and is not secret beyond the
 * built-in detection.
 *
 * - `always`: the value is secret whatever it looks like (even `true` or a
 *   placeholder); it wins over `never`, so a key in both stays secret.
 * - `never`: the key's *name* is not taken for a secret (`FEATURE_TOKEN_AUTH`,
 *   `PASSWORD_POLICY`). It does not override what the value itself shows: a
 *   GitHub token, a PEM private key, `Bearer …`, a URL with a password, a
 *   Kubernetes Secret or an encrypted value are still secret, because
 *   printing one would break the promise and hiding a value by mistake costs
 *   only a fingerprint in place of the value.
 */
export const SecretsConfig = z.strictObject({
  always: z.array(KeyGlob).default([]),
  never: z.array(KeyGlob).default([]),
});
export type SecretsConfig = z.infer<typeof SecretsConfig>;

export interface DeclaredSecrets {
  readonly always: KeyMatcher;
  readonly never: KeyMatcher;
}

const NOTHING: KeyMatcher = () => false;

export const NO_DECLARED_SECRETS: DeclaredSecrets = { always: NOTHING, never: NOTHING };

export function declaredSecrets(config: SecretsConfig | undefined): DeclaredSecrets {
  if (config === undefined) return NO_DECLARED_SECRETS;
  const matcher = (globs: readonly string[]) => (globs.length === 0 ? NOTHING : compileKeyGlobs(globs));
  return { always: matcher(config.always), never: matcher(config.never) };
}
