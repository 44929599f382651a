import { displayValue } from '../snapshot/display.js';
import type { KeyEvent } from './store.js';

/**
 * What may be shown of a history event's value, as `driftwatch history` and
 * the dashboard show it: the value, or `fp:1a2b3c4d` for a secret (the store
 * keeps no more of one).
 */
export function eventValue(event: KeyEvent): string {
  const type = event.type ?? 'string';
  const valueless = event.value === undefined && type !== 'empty-map' && type !== 'empty-list';
  return displayValue({
    key: event.key,
    type,
    ...(event.sensitive ? {} : { value: event.value }),
    fingerprint: event.fingerprint ?? '',
    // Without a value to show (a secret, always), the fingerprint stands in for it.
    sensitive: event.sensitive || valueless,
    origin: event.origin ?? { source: '', file: '' },
  });
}
