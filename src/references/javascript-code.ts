/**
 * Which offsets of a JavaScript or TypeScript file are code, as opposed to
 * string literals, template text, comments and regular expression literals:
 * `"process.env.X"` in a string or `// process.env.X` in a comment is not a
 * read, but `${process.env.X}` inside a template literal is.
 *
 * A small lexer rather than a parser: it knows quotes and their escapes,
 * template literals with nested `${...}`, line and block comments, and tells
 * a regular expression from a division by the token before the slash. Where a
 * guess could hide code for the rest of the file it recovers instead: a quote
 * or a regular expression that does not close on its line is taken as code
 * (an apostrophe in JSX or HTML text), and so is a backtick or `/*` that never
 * closes. What it cannot see: a pair of apostrophes in one line of JSX text
 * reads as a string.
 *
 * Offsets are asked in increasing order (the extractors' anchors), so the
 * whole file is lexed at most once; an earlier offset starts over.
 */
export function javascriptCodeFilter(text: string): (index: number) => boolean {
  const lexer = new Lexer(text);
  return (index) => lexer.isCode(index);
}

/** Open template literals and the `${...}` inside them, innermost last. */
type Frame = { readonly kind: 'template' } | { readonly kind: 'interpolation'; depth: number };

/** A character after which `/` starts a regular expression rather than a division. */
const BEFORE_REGEX = new Set(['(', ',', '=', ':', '[', '!', '&', '|', '?', '{', ';', '~', '+', '-', '*', '%', '^']);
const KEYWORDS_BEFORE_REGEX = new Set([
  'return',
  'typeof',
  'instanceof',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'case',
  'do',
  'else',
  'yield',
  'await',
]);
/** Characters that may start a token that is not code, or change the template nesting. */
const SPECIAL = /[/'"`{}]/g;

class Lexer {
  readonly #text: string;
  /** Where lexing goes on. */
  #at = 0;
  readonly #stack: Frame[] = [];
  /** Non-code spans found so far, [start, end), in order. */
  readonly #spans: [number, number][] = [];
  /** The first span that may still hold an offset asked for. */
  #next = 0;

  constructor(text: string) {
    this.#text = text;
  }

  #lastAsked = 0;

  isCode(index: number): boolean {
    if (index < this.#lastAsked) this.#next = 0;
    this.#lastAsked = index;
    while (this.#at <= index && this.#at < this.#text.length) this.#step();
    while (this.#next < this.#spans.length && (this.#spans[this.#next]?.[1] ?? 0) <= index) this.#next++;
    const span = this.#spans[this.#next];
    return span === undefined || index < span[0];
  }

  #step(): void {
    const text = this.#text;
    SPECIAL.lastIndex = this.#at;
    const found = SPECIAL.exec(text);
    if (!found) {
      this.#at = text.length;
      return;
    }
    const at = found.index;
    const char = found[0];
    this.#at = at + 1;
    const top = this.#stack[this.#stack.length - 1];
    if (char === '{') {
      if (top?.kind === 'interpolation') top.depth++;
    } else if (char === '}') {
      if (top?.kind !== 'interpolation') return;
      if (top.depth > 0) {
        top.depth--;
        return;
      }
      // The end of `${...}`: the template's text goes on.
      this.#stack.pop();
      this.#templateText(at + 1);
    } else if (char === '`') {
      // A backtick that never closes is not a template: keep reading code.
      if (text.indexOf('`', at + 1) === -1) return;
      this.#stack.push({ kind: 'template' });
      this.#templateText(at, at + 1);
    } else if (char === "'" || char === '"') {
      const end = quotedEnd(text, at, char);
      if (end !== -1) this.#span(at, end);
    } else {
      this.#slash(at);
    }
  }

  /**
   * Template text as one span from `start` (its opening backtick, or just
   * after the `}` of an interpolation), read from `from`: up to the closing
   * backtick, or up to and including the next `${`, whose code comes next.
   */
  #templateText(start: number, from = start): void {
    const text = this.#text;
    let at = from;
    while (at < text.length) {
      const char = text[at];
      if (char === '\\') {
        at += 2;
        continue;
      }
      if (char === '`') {
        this.#stack.pop();
        this.#span(start, at + 1);
        return;
      }
      if (char === '$' && text[at + 1] === '{') {
        this.#span(start, at + 2);
        this.#stack.push({ kind: 'interpolation', depth: 0 });
        return;
      }
      at++;
    }
    this.#span(start, text.length);
  }

  #slash(at: number): void {
    const text = this.#text;
    const next = text[at + 1];
    if (next === '/') {
      const end = text.indexOf('\n', at);
      this.#span(at, end === -1 ? text.length : end);
      return;
    }
    if (next === '*') {
      const end = text.indexOf('*/', at + 2);
      if (end !== -1) this.#span(at, end + 2);
      return;
    }
    if (!startsRegex(text, at)) return;
    const end = regexEnd(text, at);
    if (end !== -1) this.#span(at, end);
  }

  #span(start: number, end: number): void {
    this.#spans.push([start, end]);
    this.#at = Math.max(this.#at, end);
  }
}

/** The offset after the closing quote of the string opening at `start`, or -1 when it does not close on its line. */
function quotedEnd(text: string, start: number, quote: string): number {
  for (let at = start + 1; at < text.length; at++) {
    const char = text[at];
    if (char === '\\') {
      at++;
      continue;
    }
    if (char === quote) return at + 1;
    if (char === '\n' || char === '\r') return -1;
  }
  return -1;
}

/** Whether the `/` at `at` starts a regular expression, judged by the token before it. */
function startsRegex(text: string, at: number): boolean {
  let before = at - 1;
  while (before >= 0 && /\s/.test(text[before] as string)) before--;
  if (before < 0) return true;
  const char = text[before] as string;
  if (char === '>') return text[before - 1] === '='; // `=>`; `</` in JSX is no regular expression
  if (BEFORE_REGEX.has(char)) return true;
  if (!/[A-Za-z]/.test(char)) return false;
  let start = before;
  while (start > 0 && /[\w$]/.test(text[start - 1] as string)) start--;
  return KEYWORDS_BEFORE_REGEX.has(text.slice(start, before + 1));
}

/** The offset after a regular expression literal's flags, or -1 when it does not close on its line. */
function regexEnd(text: string, start: number): number {
  let inClass = false;
  for (let at = start + 1; at < text.length; at++) {
    const char = text[at];
    if (char === '\\') {
      at++;
      continue;
    }
    if (char === '\n' || char === '\r') return -1;
    if (char === '[') inClass = true;
    else if (char === ']') inClass = false;
    else if (char === '/' && !inClass) {
      let end = at + 1;
      while (end < text.length && /[a-z]/i.test(text[end] as string)) end++;
      return end;
    }
  }
  return -1;
}
