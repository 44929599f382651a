import { ParseError, type Problem } from '../errors.js';
import { type FlatLeaves, FlatLeavesBuilder, type Format, leavesOfFlat } from './format.js';
import { countLines, SequentialLocator } from './text-position.js';

/**
 * dotenv 18's own line grammar (its `LINE` expression) and value rules,
 * copied, so that one pass over the text gives every key its value and its
 * position and says which text dotenv would drop. The property tests compare
 * every value with `dotenv.parse` itself, so a dotenv upgrade that changes
 * the grammar fails loudly instead of misreading values.
 */
const DOTENV_LINE =
  /(?:^|^)\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/gm;

/** dotenv's unquoting, applied as dotenv applies it (the `m` flag included). */
const SURROUNDING_QUOTES = /^(['"`])([\s\S]*)\1$/gm;

/** What the regular expression above treats as line ends (`m` flag), after `\r` is normalised away. */
const REGEX_LINE_END = /[\n\u2028\u2029]/;

const QUOTES = new Set(["'", '"', '`']);

/**
 * dotenv's expression backtracks over a run of blank lines once for every line
 * in it: 40,000 blank lines take seconds. No real file has more than a handful,
 * so a longer run is refused before the expression sees it.
 */
const MAX_BLANK_RUN = 1000;

/**
 * `.env` files. The detector also hands this format `.env`, `.env.production`
 * and `production.env`: names it matches itself, not through `extensions`.
 * Keys stay flat, one segment (`GLOBAL_OAUTH_CLIENT_ID`); every value is a string.
 *
 * Values are exactly what `dotenv.parse` reads; what dotenv would do silently
 * is a problem instead: a line it drops, an unterminated quote, a key it
 * ignores, a key written twice (dotenv keeps the later value), and an unquoted
 * `#` that cuts a value short (`COLOR=#fff` is empty to dotenv, `P=abc#123` is
 * `abc`). Like dotenv-linter, that last one is reported at its line; it is an
 * error rather than a warning because a value cut short is a wrong value, and
 * the fix (quote it) is one keystroke.
 */
export const dotenvFormat: Format = {
  id: 'dotenv',
  extensions: ['.env'],
  parse: (text, origin) => leavesOfFlat(parseDotenvText(text, origin)),
  parseFlat: parseDotenvText,
};

function parseDotenvText(text: string, origin: string): FlatLeaves {
  // dotenv normalises line ends before matching; positions are taken on the same text.
  // A byte-order mark is whitespace to dotenv; dropping it keeps line 1's columns as editors count them.
  const withoutBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const normalized = withoutBom.includes('\r') ? withoutBom.replace(/\r\n?/g, '\n') : withoutBom;
  const locator = new SequentialLocator(normalized);
  const keys = new KeyCopies();
  const positionAt = (offset: number) => locator.at(offset);
  const problems: Problem[] = [];
  const report = (offset: number, message: string): void => {
    problems.push({ file: origin, ...positionAt(offset), message });
  };

  const blankRun = findLongBlankRun(normalized);
  if (blankRun !== undefined) {
    report(blankRun, `more than ${MAX_BLANK_RUN} blank lines in a row`);
    throw new ParseError(problems);
  }

  const plainLines = !normalized.includes('\u2028') && !normalized.includes('\u2029');
  // Every pair takes a line at least; for dotenv's expression U+2028 and U+2029 end lines too.
  const capacity = plainLines ? countLines(normalized) : countLines(normalized.replace(/[\u2028\u2029]/g, '\n'));
  const leaves = new FlatLeavesBuilder(capacity);
  /** The line each key was first written on. */
  const firstLines = new Map<string, number>();
  /** One pair dotenv reads: `rawValue` is what its expression captured, starting at `valueGroupStart`. */
  const record = (key: string, keyOffset: number, valueGroupStart: number, rawValue: string): void => {
    const valueGroupEnd = valueGroupStart + rawValue.length;
    const written = rawValue.trim();
    const valueStart = written === '' ? keyOffset : valueGroupStart + rawValue.length - rawValue.trimStart().length;
    // Positions are asked in text order, which keeps the locator's count incremental.
    const keyLine = locator.lineAt(keyOffset);
    const first = firstLines.get(key);
    // dotenv assigns into a plain object: `__proto__` never becomes a key.
    const ignored = key === '__proto__';
    if (ignored) report(keyOffset, `dotenv ignores the key '${key}'`);
    else if (first !== undefined)
      report(keyOffset, `duplicate key '${key}' (first at line ${first}); dotenv would keep this later value`);
    else firstLines.set(key, keyLine);
    const { line, column } = positionAt(valueStart);
    const quote = written[0] ?? '';
    if (QUOTES.has(quote)) {
      if (!isClosedQuote(written)) {
        const restOfLine = written.slice(1).split('\n')[0] ?? '';
        report(
          valueStart,
          restOfLine.includes(quote) ? 'unexpected text after the closing quote' : 'unterminated quote',
        );
      }
    } else if (cutsValue(normalized, valueGroupStart, valueGroupEnd)) {
      report(
        valueGroupEnd,
        `an unquoted '#' starts a comment and cuts the value of '${key}' short: quote the value if the '#' belongs to it, or put a space before the comment`,
      );
    }
    if (ignored || first !== undefined) return;
    leaves.add(key, dotenvValue(written, quote), line, column);
  };

  // Line by line, a plain `KEY=value` line is read directly; anything else goes
  // to dotenv's expression from that line on, which may take several lines.
  // Where U+2028 or U+2029 end lines for the expression, the expression reads everything.
  let covered = 0;
  let offset = 0;
  while (offset < normalized.length) {
    const lineEnd = plainLines ? lineEndAt(normalized, offset) : normalized.length;
    const equals = plainLines ? plainPairEquals(normalized, offset, lineEnd) : -1;
    if (equals !== -1) {
      reportUnmatched(normalized, covered, offset, report);
      covered = lineEnd + 1;
      const key = keys.copy(normalized.slice(offset, equals));
      const line = locator.lineAt(offset);
      const first = firstLines.get(key);
      if (first !== undefined || key === '__proto__') {
        record(key, offset, equals + 1, normalized.slice(equals + 1, lineEnd));
      } else {
        // What record() would do for a plain pair: no quote, no '#', nothing to trim.
        firstLines.set(key, line);
        const value = normalized.slice(equals + 1, lineEnd);
        leaves.add(key, value, line, equals - offset + 2);
      }
      offset = lineEnd + 1;
      continue;
    }
    if (plainLines && isBlankOrComment(normalized, offset, lineEnd)) {
      // Nothing to report there: when nothing before it is left to report, it counts as covered.
      if (covered === offset) covered = lineEnd + 1;
      offset = lineEnd + 1;
      continue;
    }
    DOTENV_LINE.lastIndex = offset;
    const match = DOTENV_LINE.exec(normalized);
    if (match === null) break;
    const written = match[1] as string;
    reportUnmatched(normalized, covered, match.index, report);
    covered = match.index + match[0].length;
    const keyOffset = keyOffsetIn(normalized, match.index, written);
    const key = keys.copy(written);
    record(key, keyOffset, separatorEnd(normalized, keyOffset + key.length), match[2] ?? '');
    // A match ends at a line end (or where an empty line starts, which is one).
    offset = covered + 1;
  }
  reportUnmatched(normalized, covered, normalized.length, report);
  if (problems.length > 0) throw new ParseError(problems.sort(byPosition));
  return leaves.leaves();
}

/**
 * Keys' texts as strings of their own. A slice of the file's text reads its
 * characters through the whole text, which makes every later sort, hash and
 * comparison of keys several times slower; a snapshot does all three for
 * every key. Keys are `[\w.-]`, so Latin-1 carries them exactly: each key is
 * written into one small buffer and read back as a new string, without a
 * buffer per key or a copy of the whole text.
 */
class KeyCopies {
  readonly #scratch = Buffer.allocUnsafe(1024);

  copy(key: string): string {
    if (key.length > this.#scratch.length) return Buffer.from(key, 'latin1').toString('latin1');
    const length = this.#scratch.write(key, 0, 'latin1');
    return this.#scratch.toString('latin1', 0, length);
  }
}

function lineEndAt(text: string, offset: number): number {
  const end = text.indexOf('\n', offset);
  return end === -1 ? text.length : end;
}

/**
 * Where the `=` is, when the line is `KEY=value` in the plainest form: at the
 * line's start a key of dotenv's characters, `=`, and a value with no quote,
 * no `#` and no blank at either end. dotenv's expression reads such a line as
 * exactly that key and that value (the property tests compare with
 * `dotenv.parse`). A value must be there: after a bare `KEY=`, dotenv may read
 * a quoted value from the next line. -1 for any other line.
 */
function plainPairEquals(text: string, start: number, end: number): number {
  let index = start;
  while (index < end && isKeyCharacter(text.charCodeAt(index))) index++;
  if (index === start || index >= end - 1 || text.charCodeAt(index) !== 0x3d) return -1;
  const equals = index;
  if (isWhitespace(text.charCodeAt(equals + 1)) || isWhitespace(text.charCodeAt(end - 1))) return -1;
  for (index = equals + 1; index < end; index++) {
    const code = text.charCodeAt(index);
    // `#`, quotes and backquote change what dotenv reads.
    if (code === 0x23 || code === 0x22 || code === 0x27 || code === 0x60) return -1;
  }
  return equals;
}

/** `[\w.-]`, the characters of a dotenv key. */
function isKeyCharacter(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x30 && code <= 0x39) ||
    code === 0x5f ||
    code === 0x2e ||
    code === 0x2d
  );
}

/** A line of blanks only, or a comment: dotenv reads nothing there, and starts nothing. */
function isBlankOrComment(text: string, start: number, end: number): boolean {
  let index = start;
  while (index < end && isWhitespace(text.charCodeAt(index))) index++;
  return index === end || text.charCodeAt(index) === 0x23;
}

/** The value as `dotenv.parse` makes it from the trimmed text it matched. */
function dotenvValue(written: string, quote: string): string {
  // Without a quote character the unquoting below cannot change anything: skip its regex.
  let value =
    written.includes("'") || written.includes('"') || written.includes('`')
      ? written.replace(SURROUNDING_QUOTES, '$2')
      : written;
  if (quote === '"') value = value.replace(/\\n/g, '\n').replace(/\\r/g, '\r');
  return value;
}

/**
 * Where the key starts in a match: after the indentation (blank lines
 * included) and an `export ` the expression consumed. `export` is also a
 * valid key (`export=1`), so it is a prefix only when the key follows it.
 */
function keyOffsetIn(text: string, matchStart: number, key: string): number {
  let offset = skipWhitespace(text, matchStart);
  if (text.startsWith('export', offset) && isWhitespace(text.charCodeAt(offset + 6))) {
    const afterExport = skipWhitespace(text, offset + 6);
    if (text.startsWith(key, afterExport)) offset = afterExport;
  }
  return offset;
}

/** Where the value may start after the key: past `=` (and the blanks before it), or past `:` and one blank. */
function separatorEnd(text: string, keyEnd: number): number {
  const next = skipWhitespace(text, keyEnd);
  return text.charCodeAt(next) === 0x3d ? next + 1 : keyEnd + 2;
}

/** An unquoted value that a `#` right after it (or right after `=`) ends: dotenv reads the rest as a comment. */
function cutsValue(text: string, valueStart: number, valueEnd: number): boolean {
  if (text.charCodeAt(valueEnd) !== 0x23) return false;
  if (valueEnd === valueStart) return text.charCodeAt(valueStart - 1) === 0x3d;
  return !isWhitespace(text.charCodeAt(valueEnd - 1));
}

function skipWhitespace(text: string, from: number): number {
  let offset = from;
  while (offset < text.length && isWhitespace(text.charCodeAt(offset))) offset++;
  return offset;
}

/** `\s` of JavaScript regular expressions, by code unit. */
function isWhitespace(code: number): boolean {
  if (code < 0x80) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** `"a"`, `'a'`: dotenv strips the quotes only when the value also ends with the one it started with. */
function isClosedQuote(written: string): boolean {
  return written.length >= 2 && written.endsWith(written[0] ?? '');
}

/** Text dotenv did not match is dropped silently by dotenv; anything but blanks and comments there is a problem. */
function reportUnmatched(
  text: string,
  start: number,
  end: number,
  report: (offset: number, message: string) => void,
): void {
  if (start >= end) return;
  let offset = start;
  for (const line of text.slice(start, end).split(REGEX_LINE_END)) {
    const content = line.trimStart();
    if (content !== '' && !content.startsWith('#')) report(offset + line.length - content.length, 'expected KEY=VALUE');
    offset += line.length + 1;
  }
}

/** Where the first run of more than MAX_BLANK_RUN blank lines starts, if there is one. */
function findLongBlankRun(text: string): number | undefined {
  const onlyNewlines = !text.includes('\u2028') && !text.includes('\u2029');
  // Cheap first: a text with no more line ends than the limit has no such run.
  if (onlyNewlines) {
    let lineEnds = 0;
    for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) {
      if (++lineEnds > MAX_BLANK_RUN) break;
    }
    if (lineEnds <= MAX_BLANK_RUN) return undefined;
  }
  // The run starts at the text's start, or on the line after the last one with content.
  let runStart: number | undefined = 0;
  let lineEnds = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 0x0a || code === 0x2028 || code === 0x2029) {
      lineEnds++;
      runStart ??= index + 1;
      if (lineEnds > MAX_BLANK_RUN) return runStart;
      continue;
    }
    if (isWhitespace(code)) continue;
    runStart = undefined;
    lineEnds = 0;
    if (!onlyNewlines) continue;
    // Content: no run starts before the next line end, so skip to it at once.
    const lineEnd = text.indexOf('\n', index);
    if (lineEnd === -1) return undefined;
    index = lineEnd - 1;
  }
  return undefined;
}

function byPosition(a: Problem, b: Problem): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
}
