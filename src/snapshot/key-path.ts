import type { PathSegment } from '../formats/format.js';

/**
 * Key paths are dotted: `oauth.global.client_id`. List indices are written
 * `hosts[0]`. A map key that is not a plain word (it contains a dot, a space,
 * brackets, quotes, glob characters, or is empty) is written in
 * double quotes with `\"` and `\\` escaped: `logging.level."com.macro.mall"`.
 * `formatKeyPath` and `parseKeyPath` are exact inverses.
 */

const PLAIN_SEGMENT = /^[A-Za-z0-9_\-/:@$~+%]+$/;
const ALL_DIGITS = /^[0-9]+$/;

export function isPlainSegment(segment: string): boolean {
  return PLAIN_SEGMENT.test(segment);
}

export function quoteSegment(segment: string): string {
  if (isPlainSegment(segment)) return segment;
  return `"${segment.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

export function formatKeyPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') {
      out += `[${segment}]`;
      continue;
    }
    out += out === '' ? quoteSegment(segment) : `.${quoteSegment(segment)}`;
  }
  return out;
}

export class KeyPathSyntaxError extends Error {
  constructor(
    readonly keyPath: string,
    readonly column: number,
    message: string,
  ) {
    super(`invalid key path '${keyPath}' at column ${column}: ${message}`);
    this.name = 'KeyPathSyntaxError';
  }
}

const SINGLE_PLAIN_SEGMENT = /^[A-Za-z0-9_\-/:@$~+%]+$/;

export function parseKeyPath(keyPath: string): PathSegment[] {
  // Most keys are one plain word (dotenv) or plain words and dots: no scanner needed.
  if (SINGLE_PLAIN_SEGMENT.test(keyPath)) return [keyPath];
  if (!keyPath.includes('"') && !keyPath.includes('[')) {
    const parts = keyPath.split('.');
    if (parts.every((part) => SINGLE_PLAIN_SEGMENT.test(part))) return parts;
  }
  return scanKeyPath(keyPath);
}

/**
 * The segments of a key path, or the whole text as one segment when it is not
 * one: a raw environment variable name with unusual characters, the glob a
 * `require` finding carries. Such text then matches only literally.
 */
export function segmentsOrWhole(text: string): PathSegment[] {
  try {
    return parseKeyPath(text);
  } catch (error) {
    if (!(error instanceof KeyPathSyntaxError)) throw error;
    return [text];
  }
}

function scanKeyPath(keyPath: string): PathSegment[] {
  const segments: PathSegment[] = [];
  let i = 0;
  function fail(message: string): never {
    throw new KeyPathSyntaxError(keyPath, i + 1, message);
  }
  // Whether the next token must be a segment (start, or after a dot).
  let expectSegment = true;
  while (i < keyPath.length) {
    const char = keyPath[i];
    if (char === '[') {
      if (expectSegment && segments.length > 0) fail('empty segment');
      const end = keyPath.indexOf(']', i);
      const digits = end === -1 ? '' : keyPath.slice(i + 1, end);
      if (!ALL_DIGITS.test(digits)) fail('expected a list index like [0]');
      segments.push(Number(digits));
      i = end + 1;
      expectSegment = false;
      continue;
    }
    if (char === '.') {
      if (expectSegment) fail('empty segment');
      i++;
      expectSegment = true;
      continue;
    }
    if (!expectSegment) fail("expected '.' or '['");
    if (char === '"') {
      let value = '';
      i++;
      while (i < keyPath.length && keyPath[i] !== '"') {
        if (keyPath[i] === '\\') {
          const next = keyPath[i + 1];
          if (next !== '\\' && next !== '"') fail('only \\\\ and \\" are escapes');
          value += next;
          i += 2;
          continue;
        }
        value += keyPath[i];
        i++;
      }
      if (i >= keyPath.length) fail('unterminated quote');
      i++;
      segments.push(value);
      expectSegment = false;
      continue;
    }
    let end = i;
    while (end < keyPath.length && keyPath[end] !== '.' && keyPath[end] !== '[') end++;
    const plain = keyPath.slice(i, end);
    if (!isPlainSegment(plain)) fail(`'${plain}' must be quoted`);
    segments.push(plain);
    i = end;
    expectSegment = false;
  }
  if (expectSegment) fail(keyPath === '' ? 'empty key path' : 'trailing dot');
  return segments;
}
