/**
 * Why bytes that should be a UTF-8 text file are not, when the cause is one a
 * person can fix: UTF-16 (what PowerShell's `>` and some Windows editors write)
 * or binary content. Read as UTF-8 such a file turns into replacement
 * characters and NULs, and the parser's complaint ("unexpected character at
 * 1:1") says nothing of the cause.
 */
export interface EncodingProblem {
  readonly message: string;
  readonly line: number;
  readonly column: number;
}

const SAVE_AS_UTF8 = 'save it as UTF-8';

export function encodingProblem(bytes: Uint8Array): EncodingProblem | undefined {
  const [first, second] = bytes;
  if (first === 0xff && second === 0xfe) {
    return {
      line: 1,
      column: 1,
      message: `the file is UTF-16 (little-endian, it starts with a byte order mark); ${SAVE_AS_UTF8}`,
    };
  }
  if (first === 0xfe && second === 0xff) {
    return {
      line: 1,
      column: 1,
      message: `the file is UTF-16 (big-endian, it starts with a byte order mark); ${SAVE_AS_UTF8}`,
    };
  }
  const nul = bytes.indexOf(0);
  if (nul < 0) return undefined;
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < nul; index++) {
    if (bytes[index] === 0x0a) {
      line++;
      lineStart = index + 1;
    }
  }
  // Text in UTF-16 without a byte order mark has a NUL beside every ASCII character.
  const looksUtf16 = nul <= 1 && bytes[nul + 2] === 0;
  return {
    line,
    column: looksUtf16 ? 1 : nul - lineStart + 1,
    message: looksUtf16
      ? `the file has NUL bytes beside its characters: it is UTF-16 without a byte order mark; ${SAVE_AS_UTF8}`
      : `the file has a NUL byte: it is not a text file, or not UTF-8 (UTF-16?); ${SAVE_AS_UTF8}`,
  };
}
