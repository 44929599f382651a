import { shortFingerprint } from './fingerprint.js';
import type { Entry } from './snapshot.js';

/**
 * How an entry's value may be shown to people. A secret is shown as its short
 * fingerprint; a URL whose only secret is its password keeps the rest visible.
 */
export function displayValue(entry: Entry): string {
  if (entry.sensitive) {
    return entry.value === undefined
      ? shortFingerprint(entry.fingerprint)
      : `${String(entry.value)} (${shortFingerprint(entry.fingerprint)})`;
  }
  switch (entry.type) {
    case 'empty-map':
      return '{}';
    case 'empty-list':
      return '[]';
    case 'null':
      return 'null';
    case 'opaque':
      return `${entry.tag ?? ''} ${String(entry.value)}`.trim();
    default:
      return String(entry.value);
  }
}

/** `config/app.yaml:14` or just the file when the source has no lines. */
export function displayOrigin(entry: Entry): string {
  return entry.origin.line === undefined ? entry.origin.file : `${entry.origin.file}:${entry.origin.line}`;
}
