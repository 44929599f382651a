import type { MatchMode } from './config.js';
import { KubernetesKeys } from './kubernetes-keys.js';
import { referencesByKey } from './match.js';
import type { ReferenceIndex } from './scan.js';

/**
 * Configured keys that no scanned code reads, sorted. A key is not stale when
 * a dotted read names a prefix of it (`config.get('db')` reads `db.host`), nor
 * when it is a Kubernetes resource's own (`apiVersion`, `metadata.*`, a
 * Deployment's spec: the platform reads those; see kubernetes-keys.ts).
 * Reads the scan could not resolve (`index.unresolvable`) may read any key:
 * the caller decides how much that weakens the verdict. Resources are
 * recognised among `configuredKeys` unless the caller, who may hold more keys
 * than it asks about, passes them.
 */
export function staleKeys(
  configuredKeys: Iterable<string>,
  index: Pick<ReferenceIndex, 'references'>,
  mode: MatchMode = 'exact',
  resources?: KubernetesKeys,
): string[] {
  const keys = [...configuredKeys];
  const kubernetes = resources ?? KubernetesKeys.of(keys);
  const stale: string[] = [];
  for (const [key, sites] of referencesByKey(keys, index.references, mode, kubernetes)) {
    if (sites.length === 0 && !kubernetes.isPlatformOnly(key)) stale.push(key);
  }
  return stale;
}
