import { createHash } from 'node:crypto';
import type { Entry } from '../snapshot/snapshot.js';

/**
 * SHA-256 (hex) over everything the store keeps of each entry except the
 * value, which the fingerprint already stands for: two snapshots with equal
 * digests store the same key versions. `entries` must be sorted by key.
 *
 * It covers no secret material that is not already keyed: no value goes in,
 * only fingerprints, which are HMACs under the fingerprint key. Without that
 * key, guessing a value (a four-digit password) means guessing the key too;
 * an unkeyed hash of the values would give them back by brute force.
 */
export function contentDigest(entries: Iterable<Entry>): string {
  const hash = createHash('sha256');
  for (const entry of entries) {
    hash.update(
      `${JSON.stringify([
        entry.key,
        entry.fingerprint,
        entry.type,
        entry.sensitive,
        entry.sensitiveReason ?? null,
        entry.tag ?? null,
        entry.origin.source,
        entry.origin.file,
        entry.origin.line ?? null,
        entry.origin.column ?? null,
      ])}\n`,
    );
  }
  return hash.digest('hex');
}
