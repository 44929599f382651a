import type { Entry } from './snapshot.js';

/**
 * Whether two entries of one key hold the same value: what equal fingerprints
 * say, without computing them when neither is a secret. Plain values compare
 * as their fingerprints do: by type, tag and JSON text (so `NaN` and `null`
 * of a number are one, as they are once stored). A secret has only its
 * fingerprint, so with a secret on either side the fingerprints decide.
 */
export function sameValue(a: Entry, b: Entry): boolean {
  if (a.type !== b.type) return false;
  if (a.sensitive || b.sensitive || a.value === undefined || b.value === undefined) {
    return a.fingerprint === b.fingerprint;
  }
  if ((a.tag ?? '') !== (b.tag ?? '')) return false;
  if (a.value === b.value) return true;
  // Two different strings never share a JSON text; numbers may (`NaN`, `Infinity` and `null` are all `null`).
  return (
    typeof a.value !== 'string' && typeof b.value !== 'string' && JSON.stringify(a.value) === JSON.stringify(b.value)
  );
}
