import { lineStartsOf } from '../formats/text-position.js';
import type { ExtractedReference, Extraction, ReferenceStyle, UnresolvableSite } from './extractor.js';

/** How comments look in a language, for the cheap "is this match commented out?" test. */
export interface CommentSyntax {
  /** Markers that start a comment running to the end of the line: `['//']`, `['#']`. */
  readonly line: readonly string[];
  /** Whether the language has `/* ... *\/` blocks (a line starting with `*` is then taken as inside one). */
  readonly block: boolean;
}

/** How far before a match `isCommented` looks for a trailing comment marker. */
const COMMENT_WINDOW = 240;
const SNIPPET_LENGTH = 80;

/**
 * One file's text, with the position arithmetic every extractor needs.
 * Line starts are found once, on the first position asked for, so a file
 * without a match costs nothing here.
 */
export class SourceText {
  readonly text: string;
  private lineStarts: number[] | undefined;
  private commentLine = -1;
  private commentLineVerdict: 'comment' | 'code' | 'block-start' = 'code';

  constructor(text: string) {
    this.text = text;
  }

  /** 0-based index of the line holding `index`. */
  lineIndexOf(index: number): number {
    const starts = this.starts();
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if ((starts[middle] as number) <= index) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  position(index: number): { line: number; column: number } {
    const line = this.lineIndexOf(index);
    return { line: line + 1, column: index - (this.starts()[line] as number) + 1 };
  }

  reference(
    index: number,
    name: string,
    style: ReferenceStyle,
    flags: { optional?: boolean; prefix?: boolean } = {},
  ): ExtractedReference {
    const { line, column } = this.position(index);
    return {
      name,
      line,
      column,
      style,
      ...(flags.prefix ? { prefix: true } : {}),
      ...(flags.optional ? { optional: true } : {}),
    };
  }

  /**
   * An unresolvable read starting at `start`. The snippet is the rest of the
   * line, at most 80 characters, cut after the first `closing` character
   * (`]`, `)`) when there is one.
   */
  unresolvable(start: number, closing?: string): UnresolvableSite {
    const { line, column } = this.position(start);
    let snippet = this.text.slice(start, start + SNIPPET_LENGTH);
    const lineBreak = snippet.search(/[\r\n]/);
    if (lineBreak !== -1) snippet = snippet.slice(0, lineBreak);
    const close = closing === undefined ? -1 : snippet.indexOf(closing);
    if (close !== -1) snippet = snippet.slice(0, close + 1);
    return { line, column, snippet: snippet.trimEnd() };
  }

  /**
   * Whether the match at `index` sits in an obvious comment: a line that
   * starts with a comment marker (or `*`, inside a block comment), or a
   * trailing comment when nothing before the marker on the line is a quote.
   * Heuristic and cheap: multi-line block comments whose lines do not start
   * with `*` are not recognised, and neither are markers more than 240
   * characters before the match.
   */
  isCommented(index: number, syntax: CommentSyntax): boolean {
    const line = this.lineIndexOf(index);
    const lineStart = this.starts()[line] as number;
    const windowStart = Math.max(lineStart, index - COMMENT_WINDOW);
    const window = this.text.slice(windowStart, index);
    const verdict = this.lineVerdict(line, lineStart, syntax);
    if (verdict === 'comment') return true;
    if (verdict === 'block-start') return !window.includes('*/');
    // A trailing comment is only recognised when the window reaches back to the line start.
    if (windowStart !== lineStart) return false;
    for (const marker of syntax.line) {
      for (let at = window.indexOf(marker); at > 0; at = window.indexOf(marker, at + marker.length)) {
        if (marker === '#' && !/\s/.test(window[at - 1] as string)) continue;
        if (quotesBalanced(window, at)) return true;
      }
    }
    if (syntax.block) {
      const at = window.lastIndexOf('/*');
      if (at > 0 && !window.includes('*/', at) && quotesBalanced(window, at)) return true;
    }
    return false;
  }

  private lineVerdict(line: number, lineStart: number, syntax: CommentSyntax): 'comment' | 'code' | 'block-start' {
    if (line === this.commentLine) return this.commentLineVerdict;
    let first = lineStart;
    const text = this.text;
    while (first < text.length && (text[first] === ' ' || text[first] === '\t')) first++;
    let verdict: 'comment' | 'code' | 'block-start' = 'code';
    if (syntax.line.some((marker) => text.startsWith(marker, first))) verdict = 'comment';
    else if (syntax.block && text.startsWith('/*', first)) verdict = 'block-start';
    else if (syntax.block && text[first] === '*' && text[first + 1] !== '/') verdict = 'comment';
    this.commentLine = line;
    this.commentLineVerdict = verdict;
    return verdict;
  }

  private starts(): number[] {
    this.lineStarts ??= lineStartsOf(this.text);
    return this.lineStarts;
  }
}

/** The value of whichever string-literal group matched (the regexes put one literal form per group). */
export function literalOf(match: RegExpExecArray, first = 1, last = 3): string | undefined {
  for (let group = first; group <= last; group++) {
    const value = match[group];
    if (value !== undefined) return value;
  }
  return undefined;
}

/** Runs a sticky regex at `index`; the match or undefined. */
export function stickyAt(regex: RegExp, text: string, index: number): RegExpExecArray | undefined {
  regex.lastIndex = index;
  return regex.exec(text) ?? undefined;
}

/** Whether `text` before `end` closes every quote it opens (so `end` is outside a string). Escapes are honoured. */
function quotesBalanced(text: string, end: number): boolean {
  let open = '';
  for (let at = 0; at < end; at++) {
    const char = text[at];
    if (open !== '') {
      if (char === '\\') at++;
      else if (char === open) open = '';
    } else if (char === "'" || char === '"' || char === '`') {
      open = char;
    }
  }
  return open === '';
}

/**
 * Records an env-style read whose name is the string literal in groups 1-2 of
 * `match` (quoted either way); an empty name reads nothing.
 */
export function pushEnvLiteral(
  source: SourceText,
  start: number,
  match: RegExpExecArray,
  optional: boolean,
  references: ExtractedReference[],
): void {
  const name = literalOf(match, 1, 2) as string;
  if (name !== '') references.push(source.reference(start, name, 'env', { optional }));
}

/** What an extractor sees at one anchor: where it is, and where to put what it finds. */
export interface AnchorVisit {
  readonly text: string;
  readonly source: SourceText;
  readonly anchor: RegExpExecArray;
  /** Offsets of the anchor's first character and of the character after it. */
  readonly start: number;
  readonly end: number;
  readonly references: ExtractedReference[];
  readonly unresolvable: UnresolvableSite[];
}

/**
 * Which offsets of a file's text are code (not strings or comments), for a
 * language with a lexer of its own (javascript-code.ts). Built once per file,
 * then asked in increasing order.
 */
export type CodeFilter = (text: string) => (index: number) => boolean;

/**
 * The loop every built-in extractor shares: each match of `anchors` (a `g`
 * expression) that is code is handed to `read`, which parses what follows it.
 * Code is told by the language's `CodeFilter`, or else by the cheap comment
 * test of its `CommentSyntax`.
 */
export function extractAtAnchors(
  text: string,
  anchors: RegExp,
  syntax: CommentSyntax | CodeFilter,
  read: (visit: AnchorVisit) => void,
): Extraction {
  const references: ExtractedReference[] = [];
  const unresolvable: UnresolvableSite[] = [];
  const source = new SourceText(text);
  const isCode = typeof syntax === 'function' ? syntax(text) : (index: number) => !source.isCommented(index, syntax);
  for (const anchor of text.matchAll(anchors)) {
    const start = anchor.index;
    if (!isCode(start)) continue;
    read({ text, source, anchor, start, end: start + anchor[0].length, references, unresolvable });
  }
  return { references, unresolvable };
}
