import { Pair, parseLines } from 'dot-properties';
import { ParseError, type Problem } from '../errors.js';
import type { Format, Leaf, LeafValue, PathSegment, ValueType } from './format.js';
import { offsetLocator } from './text-position.js';

/**
 * Java `.properties`, read by dot-properties as `java.util.Properties.load`
 * reads them: `=`, `:` or whitespace separators, `#` and `!` comments, `\`
 * continuation lines (a value is placed on the line where it starts),
 * `\uXXXX` escapes.
 *
 * Keys are paths, as Spring reads them: `company.default.web.id` is the
 * segments `company`, `default`, `web`, `id` (so the glob `company.default.*`
 * matches it, and the same setting written in `application.yml` is the same
 * key); `servers[0]` is a list index, as in YAML; `map[key.with.dots]` keeps
 * what is in the brackets as one segment. A key that does not split cleanly
 * (`a..b`, `.a`, `a[0`) stays one segment, as Java reads it.
 *
 * A key that is both a value and a prefix (`a=1` and `a.b=2`) keeps both:
 * `a` and `a.b` are two keys of the snapshot.
 *
 * Java reads every value as text, and Spring converts it to what the setting
 * needs: `server.port=8085` and YAML's `server.port: 8085` are one setting
 * with one value. So a value whose text is exactly how YAML writes a number
 * or a boolean (`8085`, `0.75`, `true`) is typed like YAML's; nothing is
 * rewritten (`1.0`, `007`, `TRUE` stay text), so what is shown is what is
 * written.
 *
 * The format is lenient by definition: every line that is not blank or a
 * comment is a pair, and a line without a separator is a key with an empty
 * value, exactly as Java reads it. What Java refuses or does silently is a
 * problem: a malformed `\uXXXX` escape (dot-properties reads it as text), a
 * key written twice (Java keeps the later value), and a key that is a list
 * in one line and a map in another (`a[0]=x`, `a.b=y`).
 */
export const propertiesFormat: Format = {
  id: 'properties',
  extensions: ['.properties'],
  parse: parseProperties,
};

const HEX4 = /^[0-9a-fA-F]{4}$/;
const CANONICAL_INTEGER = /^(?:0|-?[1-9][0-9]*)$/;
const DECIMAL = /^-?[0-9][0-9.eE+-]*$/;
const LIST_INDEX = /^(?:0|[1-9][0-9]{0,8})$/;

interface Written {
  readonly path: PathSegment[];
  readonly value: string;
  readonly offset: number;
  readonly keyOffset: number;
}

function parseProperties(text: string, origin: string): Leaf[] {
  // Java does not skip a byte-order mark, but no one means it as part of the first key.
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const positionAt = lineLocator(source);
  const problems: Problem[] = [];
  const report = (offset: number, message: string): void => {
    problems.push({ file: origin, ...positionAt(offset), message });
  };
  const written: Written[] = [];
  const firstLines = new Map<string, number>();
  for (const node of parseLines(source, true)) {
    if (!(node instanceof Pair)) continue;
    const [keyStart, keyEnd, valueStart, valueEnd] = node.range ?? [0, 0, 0, 0];
    for (const offset of [
      ...malformedEscapes(source, keyStart, keyEnd),
      ...malformedEscapes(source, valueStart, valueEnd),
    ]) {
      report(offset, 'malformed \\uXXXX escape');
    }
    const path = propertyKeyPath(node.key);
    const id = JSON.stringify(path);
    const first = firstLines.get(id);
    if (first !== undefined) {
      report(keyStart, `duplicate key '${node.key}' (first at line ${first}); Java would keep this later value`);
      continue;
    }
    firstLines.set(id, positionAt(keyStart).line);
    written.push({ path, value: node.value, offset: node.value === '' ? keyStart : valueStart, keyOffset: keyStart });
  }
  reportShapeConflicts(written, (entry, other, shape) =>
    report(
      entry.keyOffset,
      `'${keyText(entry.path)}' makes '${keyText(other.path.slice(0, shape.depth))}' a ${shape.here}, but line ${positionAt(other.keyOffset).line} made it a ${shape.there}`,
    ),
  );
  if (problems.length > 0) throw new ParseError(problems.sort(byPosition));
  return written.map(({ path, value, offset }) => ({ path, ...typedValue(value), ...positionAt(offset) }));
}

/** A value as YAML would type the same text, when that loses nothing of the text. */
function typedValue(text: string): { value: LeafValue; type: ValueType } {
  if (text === 'true' || text === 'false') return { value: text === 'true', type: 'boolean' };
  if (CANONICAL_INTEGER.test(text)) {
    const number = Number(text);
    // Beyond what a double holds exactly: a number kept as its digits, as the YAML format keeps it.
    return { value: Number.isSafeInteger(number) ? number : text, type: 'number' };
  }
  if (DECIMAL.test(text)) {
    const number = Number(text);
    if (Number.isFinite(number) && String(number) === text) return { value: number, type: 'number' };
  }
  return { value: text, type: 'string' };
}

/**
 * Splits a key as Spring's property names split: at dots, with `[n]` list
 * indices and `[anything]` map keys. Undefined structure is not invented: a
 * key that does not split cleanly is one segment.
 */
export function propertyKeyPath(key: string): PathSegment[] {
  const segments: PathSegment[] = [];
  let index = 0;
  while (index < key.length) {
    // A name up to the next `.` or `[`.
    let end = index;
    while (end < key.length && key[end] !== '.' && key[end] !== '[' && key[end] !== ']') end++;
    if (end === index) return [key];
    segments.push(key.slice(index, end));
    index = end;
    while (key[index] === '[') {
      const close = key.indexOf(']', index + 1);
      if (close === -1 || close === index + 1) return [key];
      const inside = key.slice(index + 1, close);
      segments.push(LIST_INDEX.test(inside) ? Number(inside) : inside);
      index = close + 1;
    }
    if (index === key.length) break;
    if (key[index] !== '.' || index === key.length - 1) return [key];
    index++;
  }
  return segments.length > 0 ? segments : [key];
}

interface ShapeConflict {
  /** How many segments the two keys share up to the conflict. */
  readonly depth: number;
  readonly here: 'list' | 'map';
  readonly there: 'list' | 'map';
}

/** A path is a list where the next segment is an index, a map where it is a name: one key cannot make it both. */
function reportShapeConflicts(
  written: readonly Written[],
  report: (entry: Written, other: Written, shape: ShapeConflict) => void,
): void {
  const shapes = new Map<string, { kind: 'list' | 'map'; by: Written }>();
  for (const entry of written) {
    for (let depth = 1; depth < entry.path.length; depth++) {
      const kind = typeof entry.path[depth] === 'number' ? 'list' : 'map';
      const id = JSON.stringify(entry.path.slice(0, depth));
      const known = shapes.get(id);
      if (known === undefined) {
        shapes.set(id, { kind, by: entry });
      } else if (known.kind !== kind) {
        report(entry, known.by, { depth, here: kind, there: known.kind });
        break;
      }
    }
  }
}

/** A path as it was written in a properties file. */
function keyText(path: readonly PathSegment[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (segment.includes('.')) text += `[${segment}]`;
    else text += text === '' ? segment : `.${segment}`;
  }
  return text;
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

function byPosition(a: Problem, b: Problem): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
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
