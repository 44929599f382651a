import type { ReferenceExtractor } from './extractor.js';
import { type CommentSyntax, extractAtAnchors, pushEnvLiteral, stickyAt } from './source-text.js';

const SYNTAX: CommentSyntax = { line: ['//'], block: true };

const ANCHOR = /\bos\.(?:Getenv|(LookupEnv))\b/g;
const CALL = /\s*\(\s*(?:"([^"\\\r\n]*)"|`([^`\r\n]*)`)\s*\)/y;
const CALL_OPEN = /\s*\(/y;

/** Go: `os.Getenv("X")`; `os.LookupEnv("X")`, which lets the caller handle absence, is an optional read. */
export const goExtractor: ReferenceExtractor = {
  id: 'go',
  extensions: ['.go'],
  needles: ['Getenv', 'LookupEnv'],
  extract(text) {
    return extractAtAnchors(text, ANCHOR, SYNTAX, ({ anchor, start, end, source, references, unresolvable }) => {
      const call = stickyAt(CALL, text, end);
      if (call) {
        pushEnvLiteral(source, start, call, anchor[1] !== undefined, references);
      } else if (stickyAt(CALL_OPEN, text, end)) {
        unresolvable.push(source.unresolvable(start, ')'));
      }
    });
  },
};
