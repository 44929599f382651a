import type { ReferenceExtractor } from './extractor.js';
import { type CommentSyntax, extractAtAnchors, pushEnvLiteral, stickyAt } from './source-text.js';

const SYNTAX: CommentSyntax = { line: ['#'], block: false };

const ANCHOR = /(?<![\w.$@])ENV\b/g;

/** Double-quoted strings with `#{...}` interpolation are not literal names. */
const LITERAL = String.raw`(?:'([^'\\\r\n]*)'|"([^"\\#\r\n]*)")`;
const SUBSCRIPT = new RegExp(String.raw`\s*\[\s*${LITERAL}\s*\]`, 'y');
const SUBSCRIPT_OPEN = /\s*\[/y;
const FETCH = new RegExp(String.raw`\s*\.\s*fetch\b\s*\(?\s*${LITERAL}\s*(,)?`, 'y');
const FETCH_OPEN = /\s*\.\s*fetch\b/y;
const PRESENCE = new RegExp(String.raw`\s*\.\s*(?:key\?|has_key\?|include\?|member\?)\s*\(?\s*${LITERAL}`, 'y');
/** `ENV.fetch("X") { default }` / `... do ... end`. */
const BLOCK = /\s*\)?\s*(?:\{|do\b)/y;
const ASSIGNMENT = /\s*=(?![=~>])/y;
const FALLBACK = /\s*\|\|/y;

/** Ruby: `ENV["X"]`, `ENV.fetch("X")`, `ENV.fetch("X", default)` or with a block, `ENV.key?("X")`. */
export const rubyExtractor: ReferenceExtractor = {
  id: 'ruby',
  extensions: ['.rb', '.rake', '.ru', '.erb', '.gemspec'],
  needles: ['ENV'],
  extract(text) {
    return extractAtAnchors(text, ANCHOR, SYNTAX, ({ start, end, source, references, unresolvable }) => {
      const subscript = stickyAt(SUBSCRIPT, text, end);
      if (subscript) {
        const after = end + subscript[0].length;
        if (stickyAt(ASSIGNMENT, text, after)) return;
        pushEnvLiteral(source, start, subscript, stickyAt(FALLBACK, text, after) !== undefined, references);
        return;
      }
      if (stickyAt(SUBSCRIPT_OPEN, text, end)) {
        unresolvable.push(source.unresolvable(start, ']'));
        return;
      }
      const fetch = stickyAt(FETCH, text, end);
      if (fetch) {
        const withBlock = stickyAt(BLOCK, text, end + fetch[0].length) !== undefined;
        pushEnvLiteral(source, start, fetch, fetch[3] !== undefined || withBlock, references);
        return;
      }
      if (stickyAt(FETCH_OPEN, text, end)) {
        unresolvable.push(source.unresolvable(start, ')'));
        return;
      }
      const presence = stickyAt(PRESENCE, text, end);
      if (presence) pushEnvLiteral(source, start, presence, true, references);
    });
  },
};
