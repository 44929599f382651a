import { ParseError, type Problem } from '../errors.js';
import type { Format, Leaf, LeafValue, PathSegment, ValueType } from './format.js';

/**
 * JSON, plus what node-config and editors tolerate: `//` and `/* *\/` comments
 * and trailing commas. A hand-written parser rather than `JSON.parse`, because
 * every value needs the line and column it was written at. Duplicate keys are
 * problems (fail closed: which one wins differs between readers).
 */
export const jsonFormat: Format = {
  id: 'json',
  extensions: ['.json', '.jsonc'],
  parse: parseJson,
};

/** Deeper documents are refused rather than risking the call stack. */
const MAX_DEPTH = 1000;

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

interface Position {
  readonly line: number;
  readonly column: number;
}

/** Stops the parse: after a syntax error nothing further can be trusted. */
class JsonSyntaxError extends Error {
  constructor(
    readonly position: Position,
    message: string,
  ) {
    super(message);
  }
}

function parseJson(text: string, origin: string): Leaf[] {
  const reader = new JsonReader(text);
  try {
    reader.readDocument();
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    reader.problems.push({ ...error.position, message: error.message });
  }
  if (reader.problems.length > 0) {
    throw new ParseError(reader.problems.map((problem) => ({ file: origin, ...problem })));
  }
  return reader.leaves;
}

/** A recursive-descent reader that emits leaves as it goes, in document order. */
class JsonReader {
  readonly leaves: Leaf[] = [];
  readonly problems: Problem[] = [];
  private readonly path: PathSegment[] = [];
  private offset = 0;
  private line = 1;
  /** Offset of the current line's first character. */
  private lineStart = 0;

  constructor(private readonly text: string) {
    // A byte-order mark is not part of the document, and editors do not count it as a column.
    if (text.startsWith('\uFEFF')) {
      this.offset = 1;
      this.lineStart = 1;
    }
  }

  readDocument(): void {
    this.skipTrivia();
    if (this.offset >= this.text.length) this.fail('expected an object or an array');
    const first = this.text[this.offset];
    if (first !== '{' && first !== '[') this.fail('the top level must be an object or an array');
    this.readValue(0);
    this.skipTrivia();
    if (this.offset < this.text.length) this.fail('unexpected text after the top-level value');
  }

  private readValue(depth: number): void {
    const position = this.position();
    const char = this.text[this.offset];
    if (char === '{') {
      this.readObject(depth, position);
    } else if (char === '[') {
      this.readArray(depth, position);
    } else if (char === '"') {
      this.emit(this.readString(), 'string', position);
    } else if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) {
      this.readNumber(position);
    } else {
      this.readLiteral(position);
    }
  }

  private readLiteral(position: Position): void {
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.text.startsWith(word, this.offset)) {
        this.offset += word.length;
        this.emit(value, value === null ? 'null' : 'boolean', position);
        return;
      }
    }
    this.fail('expected a value');
  }

  private readObject(depth: number, position: Position): void {
    this.enter(depth);
    const keys = new Set<string>();
    this.skipTrivia();
    if (this.text[this.offset] === '}') {
      this.offset++;
      this.emit(null, 'empty-map', position);
      return;
    }
    for (;;) {
      if (this.text[this.offset] !== '"') this.fail('expected a property name in double quotes');
      const keyPosition = this.position();
      const key = this.readString();
      if (keys.has(key)) this.problems.push({ ...keyPosition, message: `duplicate key ${JSON.stringify(key)}` });
      keys.add(key);
      this.skipTrivia();
      if (this.text[this.offset] !== ':') this.fail("expected ':' after a property name");
      this.offset++;
      this.skipTrivia();
      this.path.push(key);
      this.readValue(depth + 1);
      this.path.pop();
      this.skipTrivia();
      const next = this.text[this.offset];
      if (next === '}') {
        this.offset++;
        return;
      }
      if (next !== ',') this.fail("expected ',' or '}' after a property");
      this.offset++;
      this.skipTrivia();
      if (this.text[this.offset] === '}') {
        this.offset++;
        return;
      }
    }
  }

  private readArray(depth: number, position: Position): void {
    this.enter(depth);
    this.skipTrivia();
    if (this.text[this.offset] === ']') {
      this.offset++;
      this.emit(null, 'empty-list', position);
      return;
    }
    for (let index = 0; ; index++) {
      this.path.push(index);
      this.readValue(depth + 1);
      this.path.pop();
      this.skipTrivia();
      const next = this.text[this.offset];
      if (next === ']') {
        this.offset++;
        return;
      }
      if (next !== ',') this.fail("expected ',' or ']' after an array element");
      this.offset++;
      this.skipTrivia();
      if (this.text[this.offset] === ']') {
        this.offset++;
        return;
      }
    }
  }

  /** Consumes the opening bracket of a container at `depth` (the top level is 0). */
  private enter(depth: number): void {
    if (depth >= MAX_DEPTH) this.fail(`nested deeper than ${MAX_DEPTH} levels`);
    this.offset++;
    this.skipTrivia();
  }

  /** Reads a string starting at its opening quote. JSON strings never span lines. */
  private readString(): string {
    const opening = this.position();
    const text = this.text;
    this.offset++;
    let value = '';
    let chunkStart = this.offset;
    for (;;) {
      const code = text.charCodeAt(this.offset);
      if (Number.isNaN(code) || code === 0x0a || code === 0x0d) {
        throw new JsonSyntaxError(opening, 'unterminated string');
      }
      if (code === 0x22) {
        value += text.slice(chunkStart, this.offset);
        this.offset++;
        return value;
      }
      if (code < 0x20) this.fail('control character in a string (escape it)');
      if (code !== 0x5c) {
        this.offset++;
        continue;
      }
      value += text.slice(chunkStart, this.offset);
      const escaped = text[this.offset + 1] ?? '';
      const simple = SIMPLE_ESCAPES[escaped];
      if (simple !== undefined) {
        value += simple;
        this.offset += 2;
      } else if (escaped === 'u' && HEX4.test(text.slice(this.offset + 2, this.offset + 6))) {
        value += String.fromCharCode(Number.parseInt(text.slice(this.offset + 2, this.offset + 6), 16));
        this.offset += 6;
      } else {
        this.fail('invalid escape in a string');
      }
      chunkStart = this.offset;
    }
  }

  private readNumber(position: Position): void {
    NUMBER.lastIndex = this.offset;
    const match = NUMBER.exec(this.text);
    if (!match) this.fail('invalid number');
    const source = match[0];
    this.offset += source.length;
    const value = Number(source);
    const isInteger = !/[.eE]/.test(source);
    // Beyond what a double holds exactly: keep the digits as written.
    const exact = isInteger ? Number.isSafeInteger(value) : Number.isFinite(value);
    this.emit(exact ? value : source, 'number', position);
  }

  /** Skips whitespace and comments, counting lines. */
  private skipTrivia(): void {
    const text = this.text;
    while (this.offset < text.length) {
      const char = text[this.offset];
      if (char === ' ' || char === '\t') {
        this.offset++;
      } else if (char === '\n' || char === '\r') {
        this.newline();
      } else if (char === '/' && text[this.offset + 1] === '/') {
        while (this.offset < text.length && text[this.offset] !== '\n' && text[this.offset] !== '\r') this.offset++;
      } else if (char === '/' && text[this.offset + 1] === '*') {
        this.skipBlockComment();
      } else {
        return;
      }
    }
  }

  private skipBlockComment(): void {
    const opening = this.position();
    const text = this.text;
    this.offset += 2;
    while (this.offset < text.length) {
      const char = text[this.offset];
      if (char === '*' && text[this.offset + 1] === '/') {
        this.offset += 2;
        return;
      }
      if (char === '\n' || char === '\r') this.newline();
      else this.offset++;
    }
    throw new JsonSyntaxError(opening, 'unterminated comment');
  }

  /** Consumes one line break: `\n`, `\r\n` or a lone `\r`. */
  private newline(): void {
    if (this.text[this.offset] === '\r' && this.text[this.offset + 1] === '\n') this.offset++;
    this.offset++;
    this.line++;
    this.lineStart = this.offset;
  }

  private position(): Position {
    return { line: this.line, column: this.offset - this.lineStart + 1 };
  }

  private emit(value: LeafValue, type: ValueType, position: Position): void {
    this.leaves.push({ path: [...this.path], value, type, ...position });
  }

  private fail(message: string): never {
    throw new JsonSyntaxError(this.position(), message);
  }
}
