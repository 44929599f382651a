import { isAscii } from 'node:buffer';
import { closeSync, openSync, readSync } from 'node:fs';
import { lineStartsOf } from '../formats/text-position.js';
import type { ExtractedReference, Extraction, ReferenceExtractor, UnresolvableSite } from './extractor.js';

/** Files larger than this are generated or data, not code someone edits: skipped. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;
/** A NUL byte in this many leading bytes marks a binary file (git and ripgrep decide the same way). */
const BINARY_PROBE_BYTES = 8 * 1024;
const MINIFIED_LINE_LENGTH = 5000;
const MINIFIED_AVERAGE_LINE_LENGTH = 500;
/** Endings of the files that get minified: only these are checked for it. */
const MINIFIABLE = ['.js', '.mjs', '.cjs', '.css'];

export type SkipReason = 'binary' | 'minified' | 'tooLarge' | 'unreadable';

/** What scanning one file found, as plain data (it crosses from worker threads). */
export type FileScan =
  | {
      readonly file: string;
      readonly status: 'scanned';
      readonly bytes: number;
      readonly references: readonly ExtractedReference[];
      readonly unresolvable: readonly UnresolvableSite[];
    }
  | { readonly file: string; readonly status: SkipReason }
  /** A directory or submodule listed as a file: not code, not counted. */
  | { readonly file: string; readonly status: 'notFile' };

export type ReadResult = Buffer | 'tooLarge' | 'unreadable' | 'notFile';

/** One per thread: a file is read into it, scanned, and forgotten before the next is read. */
let scratch: Buffer | undefined;

/**
 * Reads a file unless it is larger than `MAX_FILE_BYTES`; never throws. The
 * buffer returned is shared and valid until the next call: scan it at once.
 * Three system calls a file (open, read, close), no allocation: on machines
 * where system calls are dear this is most of a scan's time.
 */
export function readCappedSync(absolute: string): ReadResult {
  scratch ??= Buffer.allocUnsafe(MAX_FILE_BYTES + 1);
  let descriptor: number | undefined;
  try {
    descriptor = openSync(absolute, 'r');
    let filled = 0;
    // A regular file reads short only at its end (libuv retries EINTR), so one read usually suffices.
    while (filled < scratch.length) {
      const read = readSync(descriptor, scratch, filled, scratch.length - filled, null);
      filled += read;
      if (read === 0 || filled < scratch.length) break;
    }
    return filled > MAX_FILE_BYTES ? 'tooLarge' : scratch.subarray(0, filled);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EISDIR' ? 'notFile' : 'unreadable';
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
  }
}

/**
 * Classifies and extracts one file's content. Pure. Extractors whose needles
 * are all absent from the bytes are not run, and a file none of whose
 * extractors can match is never decoded (nor checked for minification: it
 * has been searched in full and holds no read).
 */
export function scanContent(file: string, content: ReadResult, extractors: readonly ReferenceExtractor[]): FileScan {
  if (typeof content === 'string') return { file, status: content };
  if (content.length > MAX_FILE_BYTES) return { file, status: 'tooLarge' };
  if (content.subarray(0, BINARY_PROBE_BYTES).includes(0)) return { file, status: 'binary' };
  const references: ExtractedReference[] = [];
  const unresolvable: UnresolvableSite[] = [];
  const candidates = extractors.filter((extractor) => mayMatch(extractor, content));
  if (candidates.length > 0) {
    // Latin-1 maps each byte to one character: a copy, where UTF-8 decoding of a large file with
    // one non-ASCII character is many times slower. The patterns are ASCII, so they match the same;
    // names and columns in non-ASCII files are turned back into UTF-8 terms below.
    const text = content.toString('latin1');
    if (MINIFIABLE.some((ending) => file.endsWith(ending)) && looksMinified(text)) {
      return { file, status: 'minified' };
    }
    const utf8 = isAscii(content) ? undefined : new Utf8Positions(text);
    for (const extractor of candidates) {
      const found = extractor.extract(text);
      const { references: read, unresolvable: unknown } = utf8 ? utf8.convert(found) : found;
      references.push(...read);
      unresolvable.push(...unknown);
    }
  }
  return { file, status: 'scanned', bytes: content.length, references, unresolvable };
}

const needleBytes = new WeakMap<ReferenceExtractor, Buffer[]>();

function mayMatch(extractor: ReferenceExtractor, content: Buffer): boolean {
  if (!extractor.needles) return true;
  let needles = needleBytes.get(extractor);
  if (!needles) {
    needles = extractor.needles.map((needle) => Buffer.from(needle, 'latin1'));
    needleBytes.set(extractor, needles);
  }
  return needles.some((needle) => content.includes(needle));
}

const NON_ASCII = /[\u0080-\u00ff]/;

/** Turns names, snippets and columns found in a Latin-1 view of UTF-8 bytes into their UTF-8 text and UTF-16 columns. */
class Utf8Positions {
  private lineStarts: number[] | undefined;

  constructor(private readonly text: string) {}

  convert(found: Extraction): Extraction {
    return {
      references: found.references.map((reference) => ({
        ...reference,
        name: utf8(reference.name),
        column: this.column(reference.line, reference.column),
      })),
      unresolvable: found.unresolvable.map((site) => ({
        ...site,
        snippet: utf8(site.snippet),
        column: this.column(site.line, site.column),
      })),
    };
  }

  private column(line: number, byteColumn: number): number {
    this.lineStarts ??= lineStartsOf(this.text);
    const start = this.lineStarts[line - 1] ?? 0;
    const before = this.text.slice(start, start + byteColumn - 1);
    return NON_ASCII.test(before) ? utf8(before).length + 1 : byteColumn;
  }
}

function utf8(latin1: string): string {
  return NON_ASCII.test(latin1) ? Buffer.from(latin1, 'latin1').toString('utf8') : latin1;
}

/** A line longer than 5,000 characters, or lines 500 characters long on average. */
export function looksMinified(text: string): boolean {
  let lines = 0;
  let start = 0;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    if (end - start > MINIFIED_LINE_LENGTH) return true;
    lines++;
    start = end + 1;
  }
  return lines > 0 && text.length / lines > MINIFIED_AVERAGE_LINE_LENGTH;
}
