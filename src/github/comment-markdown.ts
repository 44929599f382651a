import { markdownCode, markdownText } from '../report/markdown.js';

/** Longest key, message or path a comment shows, in characters as people see them. */
export const MAX_CELL_CHARACTERS = 300;

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * At most `limit` characters as people see them (grapheme clusters), so that
 * a cut never splits a multi-byte character, a surrogate pair or an emoji
 * sequence; a cut text ends with `…`.
 */
export function clip(text: string, limit = MAX_CELL_CHARACTERS): string {
  // Cheap test first: a short string cannot have more clusters than code units.
  if (text.length <= limit) return text;
  let kept = '';
  let count = 0;
  for (const { segment } of graphemes.segment(text)) {
    if (count === limit - 1) return `${kept}…`;
    kept += segment;
    count++;
  }
  return kept;
}

/**
 * Plain text from config, code or rule packs, for a pull request comment:
 * escaped as the markdown reporter escapes it (no markup, no HTML, no
 * links), clipped, and with every `@` followed by a zero-width space so that
 * a key named `@acme/security` pings nobody.
 */
export function commentText(text: string): string {
  return markdownText(clip(text)).replaceAll('@', '@\u200b');
}

/** A key, file or rule id as inline code: GitHub turns nothing inside code into a mention or a link. */
export function commentCode(text: string): string {
  return markdownCode(clip(text));
}
