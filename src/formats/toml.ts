import { parse as parseToml, TomlDate, TomlError, type TomlTable, type TomlValue } from 'smol-toml';
import { ParseError } from '../errors.js';
import type { Format, Leaf, PathSegment } from './format.js';
import { lineStartsOf, offsetLocator } from './text-position.js';

/**
 * TOML. smol-toml parses and validates; a small scanner walks the same text
 * to learn where every key path was written: table headers (`[a.b]`,
 * `[[arr]]`, quoted keys), `key = value` lines including dotted keys
 * (`nmi.base_url = ...` under `[connectors]`), and, inside arrays and inline
 * tables, each member's own position. A multi-line string is placed where it
 * opens. Arrays of tables get index segments, as arrays do.
 *
 * Why not toml-eslint-parser's AST with locations instead of the scanner: it
 * agrees with this exactly (the same documents accepted and the same leaves
 * and positions, over 200,000 generated documents and the corpus), and is
 * faster on small files, but it is 1.4-2.3x slower from 50,000 keys on, and
 * it overflows the call stack on deeply nested arrays after seconds where
 * smol-toml refuses them in milliseconds.
 */
export const tomlFormat: Format = {
  id: 'toml',
  extensions: ['.toml'],
  parse: parseTomlText,
};

/** smol-toml's own limit for inline nesting; tables nested by headers or dotted keys get the same. */
const MAX_DEPTH = 1000;

interface Position {
  readonly line: number;
  readonly column: number;
}

function parseTomlText(text: string, origin: string): Leaf[] {
  let document: TomlTable;
  try {
    document = parseToml(text, { integersAsBigInt: 'asNeeded' });
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    const message = tomlMessage(error) + (REDEFINED.test(error.message) ? firstDefinition(text, error.line) : '');
    throw new ParseError([{ file: origin, line: error.line, column: error.column, message }]);
  }
  const positions = locateKeyPaths(text);
  const leaves: Leaf[] = [];
  // A path the scanner did not place (an implicit table, say) takes its parent's position.
  const visit = (value: TomlValue, path: PathSegment[], parentAt: Position): void => {
    const at = positions.get(pathId(path)) ?? parentAt;
    if (path.length > MAX_DEPTH) {
      throw new ParseError([{ file: origin, ...at, message: `nested deeper than ${MAX_DEPTH} levels` }]);
    }
    if (Array.isArray(value)) {
      if (value.length === 0) leaves.push({ path, value: null, type: 'empty-list', ...at });
      for (const [index, item] of value.entries()) visit(item, [...path, index], at);
      return;
    }
    if (value instanceof TomlDate) {
      leaves.push({ path, value: value.toISOString(), type: 'datetime', ...at });
      return;
    }
    if (typeof value === 'object') {
      const entries = Object.entries(value);
      if (entries.length === 0) leaves.push({ path, value: null, type: 'empty-map', ...at });
      for (const [key, item] of entries) visit(item, [...path, key], at);
      return;
    }
    leaves.push({ path, ...scalar(value), ...at });
  };
  for (const [key, value] of Object.entries(document)) visit(value, [key], { line: 1, column: 1 });
  // Tables may be written in any order; leaves follow the text.
  return leaves.sort((a, b) => a.line - b.line || a.column - b.column);
}

function scalar(value: string | number | bigint | boolean): Pick<Leaf, 'value' | 'type'> {
  if (typeof value === 'string') return { value, type: 'string' };
  if (typeof value === 'boolean') return { value, type: 'boolean' };
  // Big integers, inf and nan have no exact JSON number: keep them as text.
  if (typeof value === 'bigint') return { value: value.toString(), type: 'number' };
  if (!Number.isFinite(value))
    return { value: Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf', type: 'number' };
  return { value, type: 'number' };
}

/** smol-toml's message is `Invalid TOML document: <what>` followed by a code excerpt; keep the what. */
function tomlMessage(error: TomlError): string {
  const first = error.message.split('\n')[0] ?? '';
  return first.replace(/^Invalid TOML document: /, '') || 'invalid TOML';
}

/** smol-toml's message for a key or table defined twice (it does not say which, nor where first). */
const REDEFINED = /redefine/;

/**
 * `: 'a.b' (first at line 3)` for the key or table defined on `line`: the
 * earliest definition it collides with, the same path first, then a value it
 * would turn into a table, then keys that already made it a table.
 */
function firstDefinition(text: string, line: number): string {
  const scanner = new TomlScanner(text);
  scanner.scanDocument();
  const definitions = scanner.definitions;
  const again = definitions.find((definition) => definition.line === line);
  if (again === undefined) return '';
  const earlier = definitions.filter((definition) => definition.line < line);
  const first =
    earlier.find((definition) => samePath(definition.path, again.path)) ??
    earlier.find((definition) => startsWith(again.path, definition.path)) ??
    earlier.find((definition) => startsWith(definition.path, again.path));
  if (first === undefined) return '';
  return `: '${tomlKeyText(again.path)}' (first at line ${first.line})`;
}

function samePath(a: readonly PathSegment[], b: readonly PathSegment[]): boolean {
  return a.length === b.length && startsWith(a, b);
}

function startsWith(path: readonly PathSegment[], prefix: readonly PathSegment[]): boolean {
  return prefix.length <= path.length && prefix.every((segment, index) => path[index] === segment);
}

/** A key path as TOML writes it: `servers[1].tls`, `events."message.latency"`. */
function tomlKeyText(path: readonly PathSegment[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += (text === '' ? '' : '.') + (BARE_KEY.test(segment) ? segment : JSON.stringify(segment));
  }
  return text;
}

function pathId(path: readonly PathSegment[]): string {
  return JSON.stringify(path);
}

/**
 * Where each key path's value was written. Runs only on text smol-toml has
 * accepted, so it trusts the syntax and only tracks structure.
 */
function locateKeyPaths(text: string): Map<string, Position> {
  const scanner = new TomlScanner(text);
  scanner.scanDocument();
  return scanner.positions;
}

const BARE_KEY_CHAR = /[A-Za-z0-9_-]/;
const BARE_KEY = /^[A-Za-z0-9_-]+$/;
const BASIC_ESCAPES: Readonly<Record<string, string>> = {
  b: '\b',
  t: '\t',
  n: '\n',
  f: '\f',
  r: '\r',
  e: '\x1b',
  '"': '"',
  '\\': '\\',
};

class TomlScanner {
  readonly positions = new Map<string, Position>();
  /** Every table header and key written, in order, with the line it starts on (for "first at line N"). */
  readonly definitions: { readonly path: readonly PathSegment[]; readonly line: number }[] = [];
  /** How many elements each array of tables has so far, by its resolved path. */
  private readonly tableArrayLengths = new Map<string, number>();
  private readonly locate: (offset: number) => Position;
  private offset = 0;

  constructor(private readonly text: string) {
    const lineStarts = lineStartsOf(text);
    // smol-toml skips a byte-order mark; so does the scanner, and columns do not count it.
    if (text.startsWith('\uFEFF')) {
      this.offset = 1;
      lineStarts[0] = 1;
    }
    this.locate = offsetLocator(lineStarts);
  }

  scanDocument(): void {
    let table: PathSegment[] = [];
    while (this.offset < this.text.length) {
      this.skipBlank(true);
      const char = this.text[this.offset];
      if (char === undefined) return;
      if (char === '[') {
        table = this.scanHeader();
      } else {
        this.scanKeyValue(table);
      }
      this.skipBlank(false);
    }
  }

  /** `[a."b.c"]` or `[[a.b]]`: resolves the path through earlier arrays of tables. */
  private scanHeader(): PathSegment[] {
    const at = this.position();
    const isTableArray = this.text[this.offset + 1] === '[';
    this.offset += isTableArray ? 2 : 1;
    const keys = this.scanKey();
    this.offset += isTableArray ? 2 : 1;
    // Too deep to report anything but the depth; resolving it would take quadratic time.
    if (keys.length > MAX_DEPTH) return keys;
    const resolved: PathSegment[] = [];
    for (const [index, key] of keys.entries()) {
      resolved.push(key);
      const id = pathId(resolved);
      const length = this.tableArrayLengths.get(id);
      const last = index === keys.length - 1;
      if (last && isTableArray) {
        this.tableArrayLengths.set(id, (length ?? 0) + 1);
        this.positions.set(id, this.positions.get(id) ?? at);
        resolved.push(length ?? 0);
      } else if (length !== undefined) {
        resolved.push(length - 1);
      }
    }
    this.positions.set(pathId(resolved), at);
    this.definitions.push({ path: resolved, line: at.line });
    return resolved;
  }

  /** `table` is undefined when the value is too deep to place: it is then only skipped. */
  private scanKeyValue(table: readonly PathSegment[] | undefined): void {
    const { line } = this.position();
    const keys = this.scanKey();
    if (table) this.definitions.push({ path: [...table, ...keys], line });
    this.skipSpaces();
    this.offset++; // '='
    this.skipSpaces();
    this.scanValue(table && table.length + keys.length <= MAX_DEPTH ? [...table, ...keys] : undefined);
  }

  /** A dotted key, bare or quoted segments, up to the `=`, `]` or `]]` after it. */
  private scanKey(): string[] {
    const keys: string[] = [];
    for (;;) {
      this.skipSpaces();
      keys.push(this.scanKeySegment());
      this.skipSpaces();
      if (this.text[this.offset] !== '.') return keys;
      this.offset++;
    }
  }

  private scanKeySegment(): string {
    const char = this.text[this.offset];
    if (char === '"') return this.scanBasicString();
    if (char === "'") return this.scanLiteralString();
    const start = this.offset;
    while (BARE_KEY_CHAR.test(this.text[this.offset] ?? '')) this.offset++;
    // Never stall on text the grammar above does not know (a newer TOML): skip one character.
    if (this.offset === start) this.offset++;
    return this.text.slice(start, this.offset);
  }

  private scanValue(path: readonly PathSegment[] | undefined): void {
    if (path) this.positions.set(pathId(path), this.position());
    const text = this.text;
    const char = text[this.offset];
    const opening = text.slice(this.offset, this.offset + 3);
    if (opening === '"""' || opening === "'''") {
      this.skipMultilineString(opening);
    } else if (char === '"') {
      this.scanBasicString();
    } else if (char === "'") {
      this.scanLiteralString();
    } else if (char === '[') {
      this.scanArray(path);
    } else if (char === '{') {
      this.scanInlineTable(path);
    } else {
      this.skipScalar();
    }
  }

  /** Numbers, booleans, dates: up to the next delimiter (a date may contain one space). */
  private skipScalar(): void {
    const text = this.text;
    while (this.offset < text.length && !',]}#\n\r'.includes(text[this.offset] ?? '')) this.offset++;
  }

  private scanArray(path: readonly PathSegment[] | undefined): void {
    this.offset++;
    for (let index = 0; ; index++) {
      this.skipBlank(true);
      const char = this.text[this.offset];
      if (char === undefined) return;
      if (char === ']') {
        this.offset++;
        return;
      }
      const before = this.offset;
      this.scanValue(path && path.length < MAX_DEPTH ? [...path, index] : undefined);
      this.skipBlank(true);
      if (this.text[this.offset] === ',') this.offset++;
      else if (this.offset === before) this.offset++; // not TOML smol-toml accepted; never stall
    }
  }

  private scanInlineTable(path: readonly PathSegment[] | undefined): void {
    this.offset++;
    for (;;) {
      this.skipBlank(true);
      const char = this.text[this.offset];
      if (char === undefined) return;
      if (char === '}') {
        this.offset++;
        return;
      }
      if (char === ',') {
        this.offset++;
        continue;
      }
      this.scanKeyValue(path);
    }
  }

  /** A `"..."` string starting at its quote; returns its value (keys need it). */
  private scanBasicString(): string {
    const text = this.text;
    this.offset++;
    let value = '';
    while (this.offset < text.length) {
      const char = text[this.offset] ?? '';
      if (char === '"') {
        this.offset++;
        return value;
      }
      if (char === '\n') return value;
      if (char !== '\\') {
        value += char;
        this.offset++;
        continue;
      }
      const escaped = text[this.offset + 1] ?? '';
      const digits = escaped === 'u' ? 4 : escaped === 'U' ? 8 : escaped === 'x' ? 2 : 0;
      if (digits > 0) {
        const code = Number.parseInt(text.slice(this.offset + 2, this.offset + 2 + digits), 16);
        value += Number.isInteger(code) && code <= 0x10ffff ? String.fromCodePoint(code) : '';
        this.offset += 2 + digits;
      } else {
        value += BASIC_ESCAPES[escaped] ?? escaped;
        this.offset += 2;
      }
    }
    return value;
  }

  private scanLiteralString(): string {
    const start = this.offset + 1;
    let end = start;
    while (end < this.text.length && this.text[end] !== "'" && this.text[end] !== '\n') end++;
    this.offset = end + 1;
    return this.text.slice(start, end);
  }

  /** Skips `"""..."""` or `'''...'''`; up to two quotes before the closing three belong to the string. */
  private skipMultilineString(delimiter: '"""' | "'''"): void {
    const text = this.text;
    this.offset += 3;
    while (this.offset < text.length) {
      if (delimiter === '"""' && text[this.offset] === '\\') {
        this.offset += 2;
        continue;
      }
      if (text.startsWith(delimiter, this.offset)) {
        this.offset += 3;
        for (let extra = 0; extra < 2 && text[this.offset] === delimiter[0]; extra++) this.offset++;
        return;
      }
      this.offset++;
    }
  }

  private skipSpaces(): void {
    while (this.text[this.offset] === ' ' || this.text[this.offset] === '\t') this.offset++;
  }

  /** Skips spaces and comments, and line breaks too when `acrossLines`; otherwise stops after the line end. */
  private skipBlank(acrossLines: boolean): void {
    const text = this.text;
    while (this.offset < text.length) {
      const char = text[this.offset];
      if (char === ' ' || char === '\t' || char === '\r') {
        this.offset++;
      } else if (char === '#') {
        while (this.offset < text.length && text[this.offset] !== '\n') this.offset++;
      } else if (char === '\n') {
        this.offset++;
        if (!acrossLines) return;
      } else if (acrossLines) {
        return;
      } else {
        // Text after a value on its line: not TOML smol-toml accepted; move on rather than stall.
        this.offset++;
      }
    }
  }

  private position(): Position {
    return this.locate(this.offset);
  }
}
