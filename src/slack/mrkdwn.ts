import { terminalSafe } from '../report/terminal-safe.js';

/**
 * Text for Slack's mrkdwn. Keys, environment names, rule ids and error
 * messages come from config and rule packs: escaped, they cannot make a link,
 * a mention (`<!channel>`) or a command (`<@U123>`), since Slack reads those
 * only inside `<…>` and decodes only `&amp;`, `&lt;` and `&gt;`.
 */
export function slackText(raw: string): string {
  return terminalSafe(raw).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Inline code: a backtick inside would end the span (mrkdwn has no escape
 * for it), so it is shown as a look-alike (U+02CB), which a reader of the key
 * still recognises.
 */
export function slackCode(raw: string): string {
  return `\`${slackText(raw.replace(/`/g, 'ˋ'))}\``;
}

/**
 * `<url|label>`. The URL comes from driftwatch.yaml (`report.link`, already
 * validated as http(s)); the characters that would end the link are
 * percent-encoded, and `&` escaped as Slack requires.
 */
export function slackLink(url: string, label: string): string {
  const safeUrl = url.replace(/\|/g, '%7C').replace(/</g, '%3C').replace(/>/g, '%3E').replace(/&/g, '&amp;');
  return `<${safeUrl}|${slackText(label).replace(/\|/g, '¦')}>`;
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * `text` cut to at most `max` user-perceived characters with `…` — before it
 * is escaped, so a cut never splits an entity, a surrogate pair or a
 * character built of several code points (a flag, an emoji with a skin tone).
 */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  const segments: string[] = [];
  for (const { segment } of graphemes.segment(text)) {
    segments.push(segment);
    if (segments.length > max) break;
  }
  if (segments.length <= max) return text;
  return `${segments.slice(0, max - 1).join('')}…`;
}
