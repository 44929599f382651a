import { isUtf8 } from 'node:buffer';
import { ParseError } from '../errors.js';
import { encodingProblem } from './encoding-problem.js';
import type { TextEncoding } from './source.js';

/**
 * The one place a source's bytes become text. Invalid UTF-8 is an error at
 * its line rather than U+FFFD: two different byte strings must never compare
 * equal (nor two different broken secrets share a fingerprint). A UTF-8 byte
 * order mark is kept for the formats, which skip it; `latin1` maps every byte
 * to one character, for files that are Latin-1 on purpose.
 */
export function decodeText(bytes: Uint8Array, origin: string, encoding: TextEncoding = 'utf-8'): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (encoding === 'latin1') return buffer.toString('latin1');
  // UTF-16 and binary first: their NULs are valid UTF-8, and their cause is one a person can fix.
  const unreadable = encodingProblem(buffer);
  if (unreadable) throw new ParseError([{ file: origin, ...unreadable }]);
  if (isUtf8(buffer)) return buffer.toString('utf8');

  const offset = firstInvalidUtf8(buffer);
  const lineStart = offset === 0 ? 0 : buffer.lastIndexOf(0x0a, offset - 1) + 1;
  let line = 1;
  for (let at = buffer.indexOf(0x0a); at !== -1 && at < offset; at = buffer.indexOf(0x0a, at + 1)) line++;
  const column = [...buffer.subarray(lineStart, offset).toString('utf8')].length + 1;
  // The bytes themselves are not quoted: they may be part of a secret.
  throw new ParseError([
    {
      file: origin,
      line,
      column,
      message:
        "not valid UTF-8 here; driftwatch compares bytes exactly and will not guess: save the text as UTF-8, or set 'encoding: latin1' on the source if it is Latin-1 on purpose",
    },
  ]);
}

/** The offset of the first byte that does not start or continue a well-formed UTF-8 character (RFC 3629). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let at = 0;
  while (at < bytes.length) {
    const lead = bytes[at] as number;
    if (lead < 0x80) {
      at++;
      continue;
    }
    const shape = SEQUENCES.find(([from, to]) => lead >= from && lead <= to);
    if (!shape) return at;
    const [, , length, secondFrom, secondTo] = shape;
    for (let next = 1; next < length; next++) {
      const byte = bytes[at + next];
      const [from, to] = next === 1 ? [secondFrom, secondTo] : [0x80, 0xbf];
      if (byte === undefined || byte < from || byte > to) return at;
    }
    at += length;
  }
  return bytes.length;
}

/** Lead byte range, sequence length, and the range of the second byte (which rules out overlongs and surrogates). */
const SEQUENCES: readonly (readonly [number, number, number, number, number])[] = [
  [0xc2, 0xdf, 2, 0x80, 0xbf],
  [0xe0, 0xe0, 3, 0xa0, 0xbf],
  [0xe1, 0xec, 3, 0x80, 0xbf],
  [0xed, 0xed, 3, 0x80, 0x9f],
  [0xee, 0xef, 3, 0x80, 0xbf],
  [0xf0, 0xf0, 4, 0x90, 0xbf],
  [0xf1, 0xf3, 4, 0x80, 0xbf],
  [0xf4, 0xf4, 4, 0x80, 0x8f],
];
