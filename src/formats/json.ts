import { printParseErrorCode, visit } from 'jsonc-parser';
import { ParseError, type Problem } from '../errors.js';
import type { Format, Leaf, LeafValue, PathSegment, ValueType } from './format.js';

/**
 * JSON, plus what node-config and editors tolerate: `//` and `/* *\/` comments
 * and trailing commas. Read with Microsoft's jsonc-parser (VS Code's), whose
 * visitor gives every value its line and column. On top of it: duplicate keys
 * are problems (fail closed: which one wins differs between readers), the top
 * level must be an object or an array, nesting is bounded, and numbers a double
 * cannot hold exactly keep their digits.
 */
export const jsonFormat: Format = {
  id: 'json',
  extensions: ['.json', '.jsonc'],
  parse: parseJson,
};

/** Deeper documents are refused rather than risking the call stack (jsonc-parser recurses). */
const MAX_DEPTH = 1000;

/** What the reader expects next: it decides what a syntax error means to a person. */
type Expecting = 'value' | 'key' | 'colon' | 'after-member' | 'after-element' | 'end';

interface Container {
  readonly kind: 'map' | 'list';
  readonly line: number;
  readonly column: number;
  /** Members read so far; for a list, the next index. */
  members: number;
  /** Map keys seen, with the line each was first written on. */
  readonly keys?: Map<string, number>;
}

/** Thrown from a visitor callback to stop jsonc-parser: after a syntax error nothing further can be trusted. */
class StopReading extends Error {}

function parseJson(text: string, origin: string): Leaf[] {
  // A byte-order mark is not part of the document, and editors do not count it as a column.
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const leaves: Leaf[] = [];
  const problems: Problem[] = [];
  const path: PathSegment[] = [];
  const containers: Container[] = [];
  let expecting: Expecting = 'value';
  /** What was expected inside the container closed last: jsonc-parser reports a missing `}` or `]` after closing it. */
  let expectingInside: Expecting = 'value';

  const stop = (line: number, column: number, message: string): never => {
    problems.push({ file: origin, line, column, message });
    throw new StopReading();
  };
  const emit = (value: LeafValue, type: ValueType, line: number, column: number): void => {
    leaves.push({ path: [...path], value, type, line, column });
  };
  /** A list's elements are keyed by their index. */
  const beginValue = (): void => {
    const parent = containers.at(-1);
    if (parent?.kind === 'list') path.push(parent.members);
  };
  const endValue = (): void => {
    const parent = containers.at(-1);
    if (parent === undefined) {
      expecting = 'end';
      return;
    }
    path.pop();
    parent.members++;
    expecting = parent.kind === 'map' ? 'after-member' : 'after-element';
  };
  const open = (kind: Container['kind'], line: number, column: number): void => {
    beginValue();
    if (containers.length >= MAX_DEPTH) stop(line, column, `nested deeper than ${MAX_DEPTH} levels`);
    containers.push({ kind, line, column, members: 0, ...(kind === 'map' ? { keys: new Map() } : {}) });
    expecting = kind === 'map' ? 'key' : 'value';
  };
  const close = (kind: Container['kind']): void => {
    const container = containers.pop();
    if (container === undefined) return;
    expectingInside = expecting;
    if (container.members === 0)
      emit(null, kind === 'map' ? 'empty-map' : 'empty-list', container.line, container.column);
    endValue();
  };

  try {
    visit(
      source,
      {
        onObjectBegin: (_offset, _length, line, character) => open('map', line + 1, character + 1),
        onArrayBegin: (_offset, _length, line, character) => open('list', line + 1, character + 1),
        onObjectEnd: () => close('map'),
        onArrayEnd: () => close('list'),
        onObjectProperty: (key, _offset, _length, line, character) => {
          const keys = containers.at(-1)?.keys;
          const first = keys?.get(key);
          if (first !== undefined) {
            problems.push({
              file: origin,
              line: line + 1,
              column: character + 1,
              message: `duplicate key ${JSON.stringify(key)} (first at line ${first})`,
            });
          } else {
            keys?.set(key, line + 1);
          }
          path.push(key);
          expecting = 'colon';
        },
        onSeparator: (character) => {
          if (character === ':') expecting = 'value';
          else expecting = containers.at(-1)?.kind === 'map' ? 'key' : 'value';
        },
        onLiteralValue: (value: unknown, offset, length, line, character) => {
          if (containers.length === 0) stop(line + 1, character + 1, 'the top level must be an object or an array');
          beginValue();
          if (typeof value === 'number') {
            emit(...exactNumber(value, source.slice(offset, offset + length)), line + 1, character + 1);
          } else {
            emit(value as LeafValue, literalType(value), line + 1, character + 1);
          }
          endValue();
        },
        onError: (code, offset, length, line, character) => {
          // jsonc-parser's codes are a `const enum` in its types: compared by name.
          const name = printParseErrorCode(code);
          const unclosed = name === 'CloseBraceExpected' || name === 'CloseBracketExpected';
          const context = unclosed ? expectingInside : expecting;
          const at = problemAt(name, source, offset, length, context, containers.length === 0 && !unclosed);
          stop(line + 1, character + 1 + at.shift, at.message);
        },
      },
      { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false },
    );
  } catch (error) {
    if (!(error instanceof StopReading)) throw error;
  }
  if (problems.length > 0) throw new ParseError(problems);
  return leaves;
}

function literalType(value: unknown): ValueType {
  if (value === null) return 'null';
  return typeof value === 'boolean' ? 'boolean' : 'string';
}

/** Numbers a double cannot hold exactly keep their source text. */
function exactNumber(value: number, written: string): [LeafValue, ValueType] {
  const isInteger = !/[.eE]/.test(written);
  const exact = isInteger ? Number.isSafeInteger(value) : Number.isFinite(value);
  return [exact ? value : written, 'number'];
}

/**
 * What a jsonc-parser error means, said as a person would, and how far into
 * the token it points (an invalid escape is reported at its backslash, not at
 * the string's opening quote).
 */
function problemAt(
  code: ReturnType<typeof printParseErrorCode>,
  text: string,
  offset: number,
  length: number,
  expecting: Expecting,
  atTopLevel: boolean,
): { message: string; shift: number } {
  const token = text.slice(offset, offset + length);
  switch (code) {
    case 'UnexpectedEndOfString':
      return { message: 'unterminated string', shift: 0 };
    case 'UnexpectedEndOfComment':
      return { message: 'unterminated comment', shift: 0 };
    case 'InvalidEscapeCharacter':
    case 'InvalidUnicode':
      return { message: 'invalid escape in a string', shift: badEscapeIndex(token) };
    case 'InvalidCharacter':
      return { message: 'control character in a string (escape it)', shift: controlCharacterIndex(token) };
    case 'UnexpectedEndOfNumber':
    case 'InvalidNumberFormat':
      return { message: 'invalid number', shift: 0 };
    case 'InvalidCommentToken':
      return { message: 'invalid comment', shift: 0 };
    default:
      return { message: expectedMessage(expecting, token, atTopLevel), shift: 0 };
  }
}

function expectedMessage(expecting: Expecting, token: string, atTopLevel: boolean): string {
  switch (expecting) {
    case 'value':
      if (atTopLevel) return 'expected an object or an array';
      return token.startsWith('-') ? 'invalid number' : 'expected a value';
    case 'key':
      return 'expected a property name in double quotes';
    case 'colon':
      return "expected ':' after a property name";
    case 'after-member':
      return "expected ',' or '}' after a property";
    case 'after-element':
      return "expected ',' or ']' after an array element";
    case 'end':
      return 'unexpected text after the top-level value';
  }
}

const VALID_ESCAPE = /^(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/;

/** Index in a string token of the backslash that starts an invalid escape. */
function badEscapeIndex(token: string): number {
  for (let index = token.indexOf('\\'); index !== -1; index = token.indexOf('\\', index + 2)) {
    if (!VALID_ESCAPE.test(token.slice(index + 1, index + 6))) return index;
  }
  return 0;
}

/** Index in a string token of its first control character. */
function controlCharacterIndex(token: string): number {
  for (let index = 1; index < token.length; index++) {
    if (token.charCodeAt(index) < 0x20) return index;
  }
  return 0;
}
