import type { ExtractedReference, ReferenceExtractor, UnresolvableSite } from './extractor.js';
import { type CommentSyntax, extractAtAnchors, literalOf, type SourceText, stickyAt } from './source-text.js';

const SYNTAX: CommentSyntax = { line: ['//'], block: true };

/** The places a read starts; what follows each is parsed with the sticky patterns below. */
const ANCHOR = /\b(?:process\.env|import\.meta\.env)\b|\bconfig\.(get|has)\b/g;

const MEMBER = /[ \t]*(?:\?\.|\.)[ \t]*([A-Za-z_$][\w$]*)/y;
const BRACKET_LITERAL = /\s*(?:\?\.)?\[\s*(?:'([^'\\\r\n]*)'|"([^"\\\r\n]*)"|`([^`\\$\r\n]*)`)\s*\]/y;
const BRACKET_OPEN = /\s*(?:\?\.)?\[/y;
/** `= value` after a read makes it a write (but `==`, `===` and `=>` are not assignments). */
const ASSIGNMENT = /\s*=(?![=>])/y;
/** A default in the same expression: `?? 'd'`, `|| 'd'`, `??= 'd'`. */
const FALLBACK = /\s*(?:\?\?|\|\|)/y;
const CALL_LITERAL = /\s*\(\s*(?:'([^'\\\r\n]*)'|"([^"\\\r\n]*)"|`([^`\\$\r\n]*)`)\s*[,)]/y;
const CALL_OPEN = /\s*\(/y;

/** How far back `{ A, B } = process.env` may start, so a stray brace cannot make the scan quadratic. */
const DESTRUCTURING_REACH = 2000;

/**
 * JavaScript and TypeScript (and the script parts of Vue and Svelte files):
 * `process.env.X`, `process.env['X']`, `const { A, B: b, C = 'd' } = process.env`,
 * `import.meta.env.X`, and node-config's `config.get('a.b')` / `config.has('a.b')`.
 * Writes (`process.env.X = ...`) are not reads; `{ ...process.env }` reads nothing by name.
 */
export const javascriptExtractor: ReferenceExtractor = {
  id: 'javascript',
  extensions: ['.js', '.mjs', '.cjs', '.jsx', '.ts', '.tsx', '.mts', '.cts', '.vue', '.svelte'],
  needles: ['.env', 'config.'],
  extract(text) {
    return extractAtAnchors(text, ANCHOR, SYNTAX, ({ anchor, start, end, source, references, unresolvable }) => {
      if (anchor[1] === undefined) readEnv(source, start, end, references, unresolvable);
      else readConfig(source, start, end, anchor[1] === 'has', references, unresolvable);
    });
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
    const optional = stickyAt(FALLBACK, text, after) !== undefined;
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
    if (name !== '') references.push(source.reference(start, name, 'dotted', { optional: presenceCheck }));
    return;
  }
  if (!stickyAt(CALL_OPEN, text, end)) return;
  unresolvable.push(source.unresolvable(start, ')'));
}
