import { eventValue } from '../../store/event-value.js';
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
      ...(event.change === 'removed' ? {} : { shown: eventValue(event) }),
      secret: event.sensitive,
      ...(event.origin === undefined
        ? {}
        : {
            origin: event.origin.line === undefined ? event.origin.file : `${event.origin.file}:${event.origin.line}`,
          }),
    })),
  };
}
