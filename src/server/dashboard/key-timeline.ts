import { displayValue } from '../../snapshot/display.js';
import type { KeyChange, KeyEvent } from '../../store/store.js';

export interface TimelineEvent {
  readonly at: string;
  readonly env: string;
  readonly change: KeyChange;
  /** The value from then on, or a secret's fingerprint; absent for a removal. */
  readonly shown?: string;
  readonly secret: boolean;
  readonly origin?: string;
}

export interface KeyTimeline {
  readonly key: string;
  /** The environments the key was ever seen in, sorted. */
  readonly envs: readonly string[];
  /** Oldest first, as `driftwatch history` prints them. */
  readonly events: readonly TimelineEvent[];
}

/** One key's life across environments, from the stored key history. Pure. */
export function buildKeyTimeline(key: string, events: readonly KeyEvent[]): KeyTimeline {
  return {
    key,
    envs: [...new Set(events.map((event) => event.env))].sort(),
    events: events.map((event) => ({
      at: event.at,
      env: event.env,
      change: event.change,
      ...(event.change === 'removed' ? {} : { shown: shownValue(event) }),
      secret: event.sensitive,
      ...(event.origin === undefined
        ? {}
        : {
            origin: event.origin.line === undefined ? event.origin.file : `${event.origin.file}:${event.origin.line}`,
          }),
    })),
  };
}

/** As `driftwatch history` shows it: the value, or `fp:1a2b3c4d` for a secret (the store has no more). */
function shownValue(event: KeyEvent): string {
  const type = event.type ?? 'string';
  const valueless = event.value === undefined && type !== 'empty-map' && type !== 'empty-list';
  return displayValue({
    key: event.key,
    type,
    ...(event.sensitive ? {} : { value: event.value }),
    fingerprint: event.fingerprint ?? '',
    sensitive: event.sensitive || valueless,
    origin: event.origin ?? { source: '', file: '' },
  });
}
