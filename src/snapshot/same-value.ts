import type { Entry } from './snapshot.js';
import { SnapshotEntry, sameJsonText } from './snapshot-entry.js';

/**
 * Whether two entries of one key hold the same value: what equal fingerprints
 * say, without computing them where the values are at hand. Plain values
 * compare as their fingerprints do: by type, tag and JSON text (so `NaN` and
 * `null` of a number are one, as they are once stored). Two secrets of one
 * run still hold their values privately (see SnapshotEntry) and compare the
 * same way; a secret read back from the history has only its fingerprint, so
 * with such an entry on either side the fingerprints decide.
 */
export function sameValue(a: Entry, b: Entry): boolean {
  if (a.type !== b.type) return false;
  if (a.sensitive || b.sensitive || a.value === undefined || b.value === undefined) {
    return SnapshotEntry.sameHeldSecret(a, b) ?? a.fingerprint === b.fingerprint;
  }
  return (a.tag ?? '') === (b.tag ?? '') && sameJsonText(a.value, b.value);
}
