import type { ExtractedReference, ReferenceExtractor, UnresolvableSite } from './extractor.js';
import { type CommentSyntax, extractAtAnchors, type SourceText, stickyAt } from './source-text.js';

const SYNTAX: CommentSyntax = { line: ['//'], block: true };

const ANCHOR = /\bSystem\.getenv\b|@(?:(Value)|(ConfigurationProperties))\b/g;

const GETENV = /\s*\(\s*"([^"\\\r\n]*)"\s*\)/y;
const EMPTY_CALL = /\s*\(\s*\)/y;
const CALL_OPEN = /\s*\(/y;
/** The annotation's string; escapes are kept (Kotlin writes `"\${a.b}"`). */
const VALUE_ARGUMENT = /\s*\(\s*(?:value\s*=\s*)?"((?:[^"\\\r\n]|\\.)*)"/y;
const PREFIX_ARGUMENT = /\s*\(\s*(?:(?:prefix|value)\s*=\s*)?"([^"\\\r\n]*)"/y;
/** A Spring placeholder inside an `@Value` string: `${a.b}` or `${a.b:default}`; nested defaults are found too. */
const PLACEHOLDER = /\\?\$\{([^}:\s\\$"]+)(:?)/g;

/**
 * Java and Kotlin: `System.getenv("X")`; Spring's `@Value("${a.b}")` and
 * `@Value("${a.b:default}")` (dotted; a default makes the read optional);
 * `@ConfigurationProperties(prefix = "a.b")`, which binds every key under
 * `a.b` (a prefix read, optional: absent keys keep their defaults).
 */
export const jvmExtractor: ReferenceExtractor = {
  id: 'jvm',
  extensions: ['.java', '.kt', '.kts'],
  needles: ['getenv', '@Value', '@ConfigurationProperties'],
  extract(text) {
    return extractAtAnchors(text, ANCHOR, SYNTAX, ({ anchor, start, end, source, references, unresolvable }) => {
      if (anchor[1] !== undefined) {
        readValueAnnotation(source, start, end, references, unresolvable);
        return;
      }
      if (anchor[2] !== undefined) {
        const argument = stickyAt(PREFIX_ARGUMENT, text, end);
        const name = argument?.[1];
        if (name) references.push(source.reference(start, name, 'dotted', { prefix: true, optional: true }));
        return;
      }
      const call = stickyAt(GETENV, text, end);
      if (call) {
        if (call[1]) references.push(source.reference(start, call[1], 'env'));
      } else if (!stickyAt(EMPTY_CALL, text, end) && stickyAt(CALL_OPEN, text, end)) {
        unresolvable.push(source.unresolvable(start, ')'));
      }
    });
  },
};

function readValueAnnotation(
  source: SourceText,
  start: number,
  end: number,
  references: ExtractedReference[],
  unresolvable: UnresolvableSite[],
): void {
  const text = source.text;
  const argument = stickyAt(VALUE_ARGUMENT, text, end);
  if (!argument) {
    // `@Value(SOME_CONSTANT)`; Lombok's `@Value` has no parentheses and is not a read.
    if (stickyAt(CALL_OPEN, text, end)) unresolvable.push(source.unresolvable(start, ')'));
    return;
  }
  const content = argument[1] as string;
  const contentStart = argument.index + argument[0].length - content.length - 1;
  for (const placeholder of content.matchAll(PLACEHOLDER)) {
    const index = contentStart + placeholder.index;
    const name = placeholder[1] as string;
    references.push(source.reference(index, name, 'dotted', { optional: placeholder[2] === ':' }));
  }
}
