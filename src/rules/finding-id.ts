import { hash } from 'node:crypto';

/**
 * A finding's id depends only on what the finding is about — the rule, the
 * key and the environments — never on values, fingerprints, paths of the
 * machine or time, so the same drift has the same id on every run and machine.
 */
export function findingId(rule: string, key: string, envs: readonly string[]): string {
  // One-shot `hash`: a report can hold tens of thousands of findings.
  return hash('sha256', `${rule}\u0000${key}\u0000${[...envs].sort().join(',')}`, 'hex').slice(0, 12);
}
