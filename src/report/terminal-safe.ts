/**
 * Config values, keys and file names are attacker-reachable text: escape
 * control characters (a value must not be able to move the cursor, recolour
 * the terminal or fake a line of output such as "No drift found") and
 * bidirectional overrides (which can make text read differently from what it
 * is). Every text output goes through here.
 */
export function terminalSafe(text: string): string {
  let safe = '';
  for (const char of text) safe += escapedChar(char);
  return safe;
}

/** One character as it may reach a terminal: itself, or a visible escape. */
export function escapedChar(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  if (char === '\n') return '\\n';
  if (char === '\r') return '\\r';
  if (char === '\t') return '\\t';
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return `\\x${code.toString(16).padStart(2, '0')}`;
  if ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)) return `\\u{${code.toString(16)}}`;
  return char;
}
