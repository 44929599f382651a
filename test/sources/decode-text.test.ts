import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors.js';
import { decodeText } from '../../src/sources/decode-text.js';

function problemOf(bytes: Uint8Array) {
  try {
    decodeText(bytes, 'config/app.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ParseError);
    return (error as ParseError).problems[0];
  }
  throw new Error('expected a ParseError');
}

describe('sources/decode-text', () => {
  it('decodes UTF-8, keeping a byte order mark for the formats to skip', () => {
    expect(decodeText(Buffer.from('a: é 日本 🙂\n'), 'x')).toBe('a: é 日本 🙂\n');
    expect(decodeText(Buffer.from('\uFEFFa: 1\n'), 'x')).toBe('\uFEFFa: 1\n');
  });

  it('refuses invalid UTF-8 at its line and column instead of turning it into U+FFFD', () => {
    const latin1Password = Buffer.concat([
      Buffer.from('a: 1\nb: 2\npassword: caf'),
      Buffer.from([0xe9]),
      Buffer.from('\n'),
    ]);
    expect(problemOf(latin1Password)).toMatchObject({ file: 'config/app.yaml', line: 3, column: 14 });
    expect(problemOf(latin1Password)?.message).toContain("set 'encoding: latin1' on the source");
    // Two different broken byte strings no longer decode to the same text.
    expect(problemOf(Buffer.from([0x61, 0xff]))).toMatchObject({ line: 1, column: 2 });
    expect(problemOf(Buffer.from([0xfe]))).toMatchObject({ line: 1, column: 1 });
  });

  it('refuses overlong forms, surrogates, code points past U+10FFFF and truncated characters', () => {
    for (const bytes of [
      [0xc0, 0xaf],
      [0xe0, 0x80, 0xaf],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0xe6, 0x97],
    ]) {
      expect(problemOf(Buffer.from([0x41, ...bytes])), bytes.join(',')).toMatchObject({ line: 1, column: 2 });
    }
  });

  it('names UTF-16 as such', () => {
    expect(problemOf(Buffer.from('\uFEFF{"a": 1}', 'utf16le'))?.message).toBe(
      'the file is UTF-16 (little-endian, it starts with a byte order mark); save it as UTF-8',
    );
  });

  it('reads Latin-1 on purpose, one character per byte', () => {
    expect(decodeText(Buffer.from([0x63, 0x61, 0x66, 0xe9]), 'x', 'latin1')).toBe('café');
  });

  it('never quotes the bytes it refuses: they may be part of a secret', () => {
    const message = problemOf(Buffer.concat([Buffer.from('token: s3cr3t-canary'), Buffer.from([0xff])]))?.message ?? '';
    expect(message).not.toContain('s3cr3t-canary');
  });
});
