import { Pair, parseLines } from 'dot-properties';
import { ParseError, type Problem } from '../errors.js';
import type { Format, Leaf } from './format.js';
import { offsetLocator } from './text-position.js';

/**
 * Java `.properties`, read by dot-properties as `java.util.Properties.load`
 * reads them: `=`, `:` or whitespace separators, `#` and `!` comments, `\`
 * continuation lines (a value is placed on the line where it starts),
 * `\uXXXX` escapes.
 *
 * Keys stay one flat segment: `spring.datasource.url` is a single opaque
 * string to Java and to Spring, not a path. Splitting on dots would invent
 * structure (and collide `a.b=1` with a key `a` that is also set).
 *
 * The format is lenient by definition: every line that is not blank or a
 * comment is a pair, and a line without a separator is a key with an empty
 * value, exactly as Java reads it. The one thing Java refuses, a malformed
 * `\uXXXX` escape, dot-properties reads silently as text: that is reported.
 * The later of two lines with the same key wins, as in Java.
 */
export const propertiesFormat: Format = {
  id: 'properties',
  extensions: ['.properties'],
  parse: parseProperties,
};

const HEX4 = /^[0-9a-fA-F]{4}$/;

function parseProperties(text: string, origin: string): Leaf[] {
  // Java does not skip a byte-order mark, but no one means it as part of the first key.
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const positionAt = lineLocator(source);
  const problems: Problem[] = [];
  const located = new Map<string, { pair: Pair; offset: number }>();
  for (const node of parseLines(source, true)) {
    if (!(node instanceof Pair)) continue;
    const [keyStart, keyEnd, valueStart, valueEnd] = node.range ?? [0, 0, 0, 0];
    for (const offset of [
      ...malformedEscapes(source, keyStart, keyEnd),
      ...malformedEscapes(source, valueStart, valueEnd),
    ]) {
      problems.push({ file: origin, ...positionAt(offset), message: 'malformed \\uXXXX escape' });
    }
    located.delete(node.key);
    located.set(node.key, { pair: node, offset: node.value === '' ? keyStart : valueStart });
  }
  if (problems.length > 0) throw new ParseError(problems);
  return [...located.values()]
    .sort((a, b) => a.offset - b.offset)
    .map(({ pair, offset }) => ({ path: [pair.key], value: pair.value, type: 'string', ...positionAt(offset) }));
}

/** Offsets of each `\u` in `text[start, end)` not followed by four hex digits. */
function malformedEscapes(text: string, start: number, end: number): number[] {
  const offsets: number[] = [];
  for (let index = start; index < end; index++) {
    if (text[index] !== '\\') continue;
    if (text[index + 1] === 'u' && !HEX4.test(text.slice(index + 2, Math.min(index + 6, end)))) offsets.push(index);
    index++; // whatever follows a backslash is escaped, another backslash included
  }
  return offsets;
}

/** Maps an offset to a 1-based line and column; lines end at `\n`, `\r\n` or a lone `\r`, as in Java. */
function lineLocator(text: string): (offset: number) => { line: number; column: number } {
  const lineStarts = [0];
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === '\r' && text[index + 1] === '\n') index++;
    if (char === '\r' || char === '\n') lineStarts.push(index + 1);
  }
  return offsetLocator(lineStarts);
}
