import { escapedChar, terminalSafe } from './terminal-safe.js';

/** How much of a value a line of text output shows before it is cut. */
export const TEXT_VALUE_LENGTH = 60;

/** A short fingerprint appended to a partly visible secret: `postgres://u:****@h/db (fp:1a2b3c4d)`. */
const FINGERPRINT_SUFFIX = / \(fp:[0-9a-f]{8}\)$/;

/**
 * A value as shown on one line of text output (check, diff, snapshot,
 * history): control characters escaped; a multi-line or long value quoted,
 * escaped and cut, with its length (`"server {\n  listen 80;…" (412 chars)`);
 * an empty string as `""`, so that it cannot be mistaken for nothing. The
 * JSON outputs keep the whole value: this is for people only.
 */
export function terminalValue(shown: string, maxLength = TEXT_VALUE_LENGTH): string {
  if (shown === '') return '""';
  const suffix = FINGERPRINT_SUFFIX.exec(shown)?.[0] ?? '';
  const value = suffix === '' ? shown : shown.slice(0, -suffix.length);
  const multiLine = /[\r\n]/.test(value);
  const safe = terminalSafe(value);
  if (!multiLine && safe.length <= maxLength) return `${safe}${suffix}`;

  // Quoted, so the escapes read as escapes: a backslash or quote of the value is escaped too.
  let head = '';
  let cut = false;
  let length = 0;
  for (const char of value) {
    length++;
    if (cut) continue;
    const escaped = char === '\\' || char === '"' ? `\\${char}` : escapedChar(char);
    if (head.length + escaped.length > maxLength) {
      cut = true;
      continue;
    }
    head += escaped;
  }
  return cut ? `"${head}…" (${length} chars)${suffix}` : `"${head}"${suffix}`;
}
