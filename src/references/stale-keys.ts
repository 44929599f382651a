import type { MatchMode } from './config.js';
import { referencesByKey } from './match.js';
import type { ReferenceIndex } from './scan.js';

/**
 * Configured keys that no scanned code reads, sorted. A key is not stale when
 * a dotted read names a prefix of it (`config.get('db')` reads `db.host`).
 * Reads the scan could not resolve (`index.unresolvable`) may read any key:
 * the caller decides how much that weakens the verdict.
 */
export function staleKeys(
  configuredKeys: Iterable<string>,
  index: Pick<ReferenceIndex, 'references'>,
  mode: MatchMode = 'exact',
): string[] {
  const stale: string[] = [];
  for (const [key, sites] of referencesByKey(configuredKeys, index.references, mode)) {
    if (sites.length === 0) stale.push(key);
  }
  return stale;
}
