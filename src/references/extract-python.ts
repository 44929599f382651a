import type { ReferenceExtractor } from './extractor.js';
import { type CommentSyntax, extractAtAnchors, pushEnvLiteral, stickyAt } from './source-text.js';

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
    return extractAtAnchors(text, ANCHOR, SYNTAX, ({ anchor, start, end, source, references, unresolvable }) => {
      if (anchor[1] !== undefined) {
        const subscript = stickyAt(SUBSCRIPT, text, end);
        if (subscript) {
          if (stickyAt(ASSIGNMENT, text, end + subscript[0].length)) return;
          pushEnvLiteral(source, start, subscript, false, references);
          return;
        }
        if (stickyAt(SUBSCRIPT_OPEN, text, end)) {
          unresolvable.push(source.unresolvable(start, ']'));
          return;
        }
        const get = stickyAt(GET_CALL, text, end);
        if (get) pushEnvLiteral(source, start, get, get[3] !== undefined, references);
        else if (stickyAt(GET_OPEN, text, end)) unresolvable.push(source.unresolvable(start, ')'));
        return;
      }
      const call = stickyAt(CALL, text, end);
      if (call) pushEnvLiteral(source, start, call, call[3] !== undefined, references);
      else if (stickyAt(CALL_OPEN, text, end)) unresolvable.push(source.unresolvable(start, ')'));
    });
  },
};
