import type { ExtractedReference, ReferenceExtractor, UnresolvableSite } from './extractor.js';
import { type CommentSyntax, literalOf, SourceText, stickyAt } from './source-text.js';

const SYNTAX: CommentSyntax = { line: ['#'], block: false };

/** `os.environ`, `os.getenv`, and the bare names after `from os import environ, getenv` (but not `self.environ`). */
const ANCHOR = /(?<![\w.])(?:os\.)?(?:(environ)|getenv)\b/g;

const LITERAL = String.raw`(?:'([^'\\\r\n]*)'|"([^"\\\r\n]*)")`;
const SUBSCRIPT = new RegExp(String.raw`\s*\[\s*${LITERAL}\s*\]`, 'y');
const SUBSCRIPT_OPEN = /\s*\[/y;
const GET_CALL = new RegExp(String.raw`\s*\.\s*get\s*\(\s*${LITERAL}\s*(,)?`, 'y');
const GET_OPEN = /\s*\.\s*get\s*\(/y;
const CALL = new RegExp(String.raw`\s*\(\s*${LITERAL}\s*(,)?`, 'y');
const CALL_OPEN = /\s*\(/y;
const ASSIGNMENT = /\s*=(?!=)/y;

/**
 * Python: `os.environ["X"]`, `os.environ.get("X"[, default])`, `os.getenv("X"[, default])`,
 * and `environ` / `getenv` imported from `os`. A WSGI `environ` parameter looks the same and is
 * read as the process environment too.
 */
export const pythonExtractor: ReferenceExtractor = {
  id: 'python',
  extensions: ['.py'],
  needles: ['environ', 'getenv'],
  extract(text) {
    const references: ExtractedReference[] = [];
    const unresolvable: UnresolvableSite[] = [];
    const source = new SourceText(text);
    for (const anchor of text.matchAll(ANCHOR)) {
      const start = anchor.index;
      const end = start + anchor[0].length;
      if (source.isCommented(start, SYNTAX)) continue;
      if (anchor[1] !== undefined) {
        const subscript = stickyAt(SUBSCRIPT, text, end);
        if (subscript) {
          if (stickyAt(ASSIGNMENT, text, end + subscript[0].length)) continue;
          pushName(source, start, subscript, false, references);
          continue;
        }
        if (stickyAt(SUBSCRIPT_OPEN, text, end)) {
          unresolvable.push(source.unresolvable(start, ']'));
          continue;
        }
        const get = stickyAt(GET_CALL, text, end);
        if (get) pushName(source, start, get, get[3] !== undefined, references);
        else if (stickyAt(GET_OPEN, text, end)) unresolvable.push(source.unresolvable(start, ')'));
        continue;
      }
      const call = stickyAt(CALL, text, end);
      if (call) pushName(source, start, call, call[3] !== undefined, references);
      else if (stickyAt(CALL_OPEN, text, end)) unresolvable.push(source.unresolvable(start, ')'));
    }
    return { references, unresolvable };
  },
};

function pushName(
  source: SourceText,
  start: number,
  match: RegExpExecArray,
  optional: boolean,
  references: ExtractedReference[],
): void {
  const name = literalOf(match, 1, 2) as string;
  if (name !== '') references.push(source.reference(start, name, 'env', { optional }));
}
