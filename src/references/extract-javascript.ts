import type { ExtractedReference, ReferenceExtractor, UnresolvableSite } from './extractor.js';
import { javascriptCodeFilter } from './javascript-code.js';
import { extractAtAnchors, literalOf, type SourceText, stickyAt } from './source-text.js';

/** The places a read starts; what follows each is parsed with the sticky patterns below. */
const ANCHOR = /\b(?:process\.env|import\.meta\.env)\b|\bconfig\.(get|has)\b/g;

const MEMBER = /[ \t]*(?:\?\.|\.)[ \t]*([A-Za-z_$][\w$]*)/y;
const BRACKET_LITERAL = /\s*(?:\?\.)?\[\s*(?:'([^'\\\r\n]*)'|"([^"\\\r\n]*)"|`([^`\\$\r\n]*)`)\s*\]/y;
const BRACKET_OPEN = /\s*(?:\?\.)?\[/y;
/** `= value` after a read makes it a write (but `==`, `===` and `=>` are not assignments). */
const ASSIGNMENT = /\s*=(?![=>])/y;
/**
 * A default in the same expression: `?? 'd'`, `|| 'd'`, `??= 'd'`, or the
 * test of a conditional (`process.env.X ? a : b`), which copes with absence.
 */
const FALLBACK = /\s*(?:\?\?|\|\||\?(?![.?]))/y;
/**
 * TypeScript type arguments before a call's parentheses, `<string>` or
 * `<Record<string, number>>` (three levels deep): every repetition starts at
 * a `<`, so the pattern cannot backtrack into itself.
 */
const TYPE_ARGUMENTS = String.raw`(?:\s*<[^<>();]*(?:<[^<>();]*(?:<[^<>();]*>[^<>();]*)*>[^<>();]*)*>)?`;
const CALL_LITERAL = new RegExp(
  String.raw`${TYPE_ARGUMENTS}\s*\(\s*(?:'([^'\\\r\n]*)'|"([^"\\\r\n]*)"|\`([^\`\\$\r\n]*)\`)\s*([,)])`,
  'y',
);
const CALL_OPEN = new RegExp(String.raw`${TYPE_ARGUMENTS}\s*\(`, 'y');
/** How far back a guard (`config.has('a') ? `) of a read may start. */
const GUARD_REACH = 300;

/** How far back `{ A, B } = process.env` may start, so a stray brace cannot make the scan quadratic. */
const DESTRUCTURING_REACH = 2000;

/**
 * JavaScript and TypeScript (and the script parts of Vue and Svelte files):
 * `process.env.X`, `process.env['X']`, `const { A, B: b, C = 'd' } = process.env`,
 * `import.meta.env.X`, and node-config's `config.get('a.b')` / `config.has('a.b')`,
 * also with type arguments (`config.get<string>('a.b')`). Writes
 * (`process.env.X = ...`) are not reads; `{ ...process.env }` reads nothing by
 * name; text in strings, template text and comments is not code (see
 * javascript-code.ts). A read with a default (`?? 'd'`, `|| 'd'`), tested
 * (`process.env.X ? a : b`, `config.has('a')`) or guarded by its own test
 * (`config.has('a') ? config.get('a') : 60`) is optional.
 */
export const javascriptExtractor: ReferenceExtractor = {
  id: 'javascript',
  extensions: ['.js', '.mjs', '.cjs', '.jsx', '.ts', '.tsx', '.mts', '.cts', '.vue', '.svelte'],
  needles: ['.env', 'config.'],
  extract(text) {
    return extractAtAnchors(
      text,
      ANCHOR,
      javascriptCodeFilter,
      ({ anchor, start, end, source, references, unresolvable }) => {
        if (anchor[1] === undefined) readEnv(source, start, end, references, unresolvable);
        else readConfig(source, start, end, anchor[1] === 'has', references, unresolvable);
      },
    );
  },
};

function readEnv(
  source: SourceText,
  start: number,
  end: number,
  references: ExtractedReference[],
  unresolvable: UnresolvableSite[],
): void {
  const text = source.text;
  const member = stickyAt(MEMBER, text, end) ?? stickyAt(BRACKET_LITERAL, text, end);
  if (member) {
    const after = member.index + member[0].length;
    if (stickyAt(ASSIGNMENT, text, after)) return;
    const name = literalOf(member) as string;
    if (name === '') return;
    const optional = stickyAt(FALLBACK, text, after) !== undefined || guardedBy(text, start, () => envGuard(name));
    references.push(source.reference(start, name, 'env', { optional }));
    return;
  }
  if (stickyAt(BRACKET_OPEN, text, end)) {
    unresolvable.push(source.unresolvable(start, ']'));
    return;
  }
  readDestructuring(source, start, references, unresolvable);
}

/** `const { A, B: b, C = 'd', ['E']: e } = process.env`, found by walking back from `process.env`. */
function readDestructuring(
  source: SourceText,
  start: number,
  references: ExtractedReference[],
  unresolvable: UnresolvableSite[],
): void {
  const text = source.text;
  let at = skipSpaceBackward(text, start - 1);
  if (text[at] !== '=' || '=!<>+-*/%&|^?'.includes(text[at - 1] ?? '')) return;
  at = skipSpaceBackward(text, at - 1);
  if (text[at] !== '}') return;
  const close = at;
  const limit = Math.max(0, close - DESTRUCTURING_REACH);
  let open = close - 1;
  while (open >= limit && text[open] !== '{' && text[open] !== '}') open--;
  if (open < limit || text[open] !== '{') return;
  for (const entry of splitEntries(text, open + 1, close)) {
    const parsed = ENTRY.exec(text.slice(entry.start, entry.end));
    if (!parsed) continue;
    const nameIndex = entry.start + (parsed.index ?? 0) + (parsed[0].length - parsed[0].trimStart().length);
    if (parsed[1] !== undefined) continue; // `...rest`: the remainder, no name
    if (parsed[5] !== undefined) {
      unresolvable.push(source.unresolvable(nameIndex, ']'));
      continue;
    }
    const name = literalOf(parsed, 2, 4) as string;
    if (name === '') continue;
    const optional = /=(?![=>])/.test(text.slice(entry.start, entry.end).replace(/^[^:=]*:\s*[\w$]+\s*/, ''));
    references.push(source.reference(nameIndex, name, 'env', { optional }));
  }
}

/** One destructuring entry: `...rest`, `'A'`, `"A"`, `A`, or a computed `[key]`. */
const ENTRY = /^\s*(?:(\.\.\.)|'([^'\\]*)'|"([^"\\]*)"|([A-Za-z_$][\w$]*)|(\[))/;

/** The comma-separated entries between `from` and `to`, ignoring commas nested in brackets or quotes. */
function splitEntries(text: string, from: number, to: number): { start: number; end: number }[] {
  const entries: { start: number; end: number }[] = [];
  let depth = 0;
  let quote = '';
  let entryStart = from;
  for (let at = from; at < to; at++) {
    const char = text[at] as string;
    if (quote) {
      if (char === '\\') at++;
      else if (char === quote) quote = '';
      continue;
    }
    if (char === "'" || char === '"' || char === '`') quote = char;
    else if (char === '(' || char === '[' || char === '{') depth++;
    else if (char === ')' || char === ']' || char === '}') depth--;
    else if (char === ',' && depth === 0) {
      entries.push({ start: entryStart, end: at });
      entryStart = at + 1;
    }
  }
  entries.push({ start: entryStart, end: to });
  return entries;
}

function skipSpaceBackward(text: string, at: number): number {
  let index = at;
  while (index >= 0 && /\s/.test(text[index] as string)) index--;
  return index;
}

/** node-config: `config.get('a.b')` reads a key (or a whole subtree); `config.has('a.b')` only tests for it. */
function readConfig(
  source: SourceText,
  start: number,
  end: number,
  presenceCheck: boolean,
  references: ExtractedReference[],
  unresolvable: UnresolvableSite[],
): void {
  const text = source.text;
  const call = stickyAt(CALL_LITERAL, text, end);
  if (call) {
    const name = literalOf(call) as string;
    if (name === '') return;
    const closed = call[4] === ')';
    const optional =
      presenceCheck ||
      (closed && stickyAt(FALLBACK, text, call.index + call[0].length) !== undefined) ||
      guardedBy(text, start, () => configGuard(name));
    references.push(source.reference(start, name, 'dotted', { optional }));
    return;
  }
  if (!stickyAt(CALL_OPEN, text, end)) return;
  unresolvable.push(source.unresolvable(start, ')'));
}

/**
 * Whether the read at `start` is the branch a test of the same key chose:
 * `config.has('a') ? config.get('a') : 60`, `process.env.X ? process.env.X : 'd'`,
 * or the other branch of a negated test, `!config.has('a') ? 60 : config.get('a')`.
 * `guard` matches the test as written; the text before the read is searched
 * within a short reach.
 */
function guardedBy(text: string, start: number, guard: () => string): boolean {
  const before = text.slice(Math.max(0, start - GUARD_REACH), start);
  // Most reads have no conditional before them: skip building the pattern.
  if (!before.includes('?')) return false;
  return new RegExp(String.raw`(?:(?<!!\s*)${guard()}\s*\?\s*|!\s*${guard()}\s*\?[^?:;]*:\s*)$`).test(before);
}

/** `config.has('a')`, `config.has<T>("a")` as a pattern. */
function configGuard(name: string): string {
  return String.raw`\bconfig\.has${TYPE_ARGUMENTS}\s*\(\s*${quotedLiteral(name)}\s*\)`;
}

/** `process.env.X`, `process.env['X']` as a pattern. */
function envGuard(name: string): string {
  return String.raw`\bprocess\.env\s*(?:\??\.\s*${escapeRegExp(name)}\b|(?:\?\.)?\[\s*${quotedLiteral(name)}\s*\])`;
}

/** The name in any of the three quotes (no back-reference: the pattern is used twice in one expression). */
function quotedLiteral(name: string): string {
  const quoted = escapeRegExp(name);
  return `(?:'${quoted}'|"${quoted}"|\`${quoted}\`)`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
