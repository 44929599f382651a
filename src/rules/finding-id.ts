import { createHash } from 'node:crypto';

/**
 * A finding's id depends only on what the finding is about — the rule, the
 * key and the environments — never on values, fingerprints, paths of the
 * machine or time, so the same drift has the same id on every run and machine.
 */
export function findingId(rule: string, key: string, envs: readonly string[]): string {
  return createHash('sha256')
    .update(`${rule}\u0000${key}\u0000${[...envs].sort().join(',')}`)
    .digest('hex')
    .slice(0, 12);
}
