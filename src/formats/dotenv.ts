import { parse as parseDotenv } from 'dotenv';
import { ParseError, type Problem } from '../errors.js';
import type { Format, Leaf } from './format.js';
import { offsetLocator } from './text-position.js';

/**
 * dotenv 18's own line grammar (its `LINE` expression), copied with the `d`
 * flag so that every key and value it matches has a position. Values still come
 * from `dotenv.parse`; this only says where each one was written and which text
 * dotenv matched at all. `parse` checks that both agree on the keys, and a
 * property test pins the agreement, so a dotenv upgrade that changes the grammar
 * fails loudly instead of misplacing keys.
 */
const DOTENV_LINE =
  /(?:^|^)\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/dgm;

/** What the regular expression above treats as line ends (`m` flag), after `\r` is normalised away. */
const REGEX_LINE_END = /[\n\u2028\u2029]/;

const QUOTES = new Set(["'", '"', '`']);

/**
 * dotenv's expression backtracks over a run of blank lines once for every line
 * in it: 40,000 blank lines take seconds. No real file has more than a handful,
 * so a longer run is refused before dotenv sees it.
 */
const MAX_BLANK_RUN = 1000;

interface Located {
  readonly key: string;
  /** Offset of the value's first character, or of the key when the value is empty. */
  readonly offset: number;
}

/**
 * `.env` files. The detector also hands this format `.env`, `.env.production`
 * and `production.env`: names it matches itself, not through `extensions`.
 * Keys stay flat, one segment (`GLOBAL_OAUTH_CLIENT_ID`); every value is a string.
 */
export const dotenvFormat: Format = {
  id: 'dotenv',
  extensions: ['.env'],
  parse: parseDotenvText,
};

function parseDotenvText(text: string, origin: string): Leaf[] {
  // dotenv normalises line ends before matching; positions are taken on the same text.
  // A byte-order mark is whitespace to dotenv; dropping it keeps line 1's columns as editors count them.
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const positionAt = lineLocator(normalized);
  const problems: Problem[] = [];
  const report = (offset: number, message: string): void => {
    problems.push({ file: origin, ...positionAt(offset), message });
  };

  const blankRun = findLongBlankRun(normalized);
  if (blankRun !== undefined) {
    report(blankRun, `more than ${MAX_BLANK_RUN} blank lines in a row`);
    throw new ParseError(problems);
  }

  const values = parseDotenv(normalized);
  const located = locateKeys(normalized, values, report);
  for (const key of Object.keys(values)) {
    if (!located.has(key))
      problems.push({ file: origin, message: `dotenv read a key driftwatch could not place: '${key}'` });
  }
  if (problems.length > 0) throw new ParseError(problems.sort(byPosition));

  return [...located.values()]
    .sort((a, b) => a.offset - b.offset)
    .map(({ key, offset }) => ({ path: [key], value: values[key] ?? '', type: 'string', ...positionAt(offset) }));
}

/**
 * Where each key of `values` was written (the later line when a key repeats,
 * as dotenv keeps the later value), reporting what dotenv would drop silently:
 * unmatched lines, unbalanced quotes, keys it ignores.
 */
function locateKeys(
  text: string,
  values: Readonly<Record<string, string>>,
  report: (offset: number, message: string) => void,
): Map<string, Located> {
  const located = new Map<string, Located>();
  let covered = 0;
  for (const match of text.matchAll(DOTENV_LINE)) {
    const indices = match.indices;
    const key = match[1];
    if (!indices?.[1] || key === undefined) continue;
    reportUnmatched(text.slice(covered, match.index), covered, report);
    covered = match.index + match[0].length;

    const keyOffset = indices[1][0];
    const rawValue = match[2] ?? '';
    const valueStart = indices[2] ? indices[2][0] + (rawValue.length - rawValue.trimStart().length) : keyOffset;
    const written = rawValue.trim();
    const quote = written[0] ?? '';
    if (QUOTES.has(quote) && !isClosedQuote(written)) {
      const restOfLine = written.slice(1).split('\n')[0] ?? '';
      report(valueStart, restOfLine.includes(quote) ? 'unexpected text after the closing quote' : 'unterminated quote');
    }
    if (!Object.hasOwn(values, key)) {
      report(keyOffset, `dotenv ignores the key '${key}'`);
      continue;
    }
    located.delete(key);
    located.set(key, { key, offset: written === '' ? keyOffset : valueStart });
  }
  reportUnmatched(text.slice(covered), covered, report);
  return located;
}

/** `"a"`, `'a'`: dotenv strips the quotes only when the value also ends with the one it started with. */
function isClosedQuote(written: string): boolean {
  return written.length >= 2 && written.endsWith(written[0] ?? '');
}

/** Text dotenv did not match is dropped silently by dotenv; anything but blanks and comments there is a problem. */
function reportUnmatched(unmatched: string, start: number, report: (offset: number, message: string) => void): void {
  let offset = start;
  for (const line of unmatched.split(REGEX_LINE_END)) {
    const content = line.trimStart();
    if (content !== '' && !content.startsWith('#')) report(offset + line.length - content.length, 'expected KEY=VALUE');
    offset += line.length + 1;
  }
}

/** Where the first run of more than MAX_BLANK_RUN blank lines starts, if there is one. */
function findLongBlankRun(text: string): number | undefined {
  // Cheap first: a text with no more line ends than the limit has no such run.
  let lineEndCount = 0;
  for (
    let index = text.indexOf('\n');
    index !== -1 && lineEndCount <= MAX_BLANK_RUN;
    index = text.indexOf('\n', index + 1)
  ) {
    lineEndCount++;
  }
  if (lineEndCount <= MAX_BLANK_RUN && !/[\u2028\u2029]/.test(text)) return undefined;
  // The run starts at the text's start, or on the line after the last one with content.
  let runStart: number | undefined = 0;
  let lineEnds = 0;
  for (let index = 0; index < text.length; index++) {
    const char = text[index] ?? '';
    if (!/\s/.test(char)) {
      runStart = undefined;
      lineEnds = 0;
      continue;
    }
    if (!REGEX_LINE_END.test(char)) continue;
    lineEnds++;
    runStart ??= index + 1;
    if (lineEnds > MAX_BLANK_RUN) return runStart;
  }
  return undefined;
}

function byPosition(a: Problem, b: Problem): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
}

/** Maps an offset in `text` to a 1-based line and column; lines end at `\n`. */
function lineLocator(text: string): (offset: number) => { line: number; column: number } {
  const lineStarts = [0];
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) lineStarts.push(index + 1);
  return offsetLocator(lineStarts);
}
