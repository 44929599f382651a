import type { DigestFormat, DigestRenderer } from './digest.js';
import { digestJsonRenderer } from './digest-json.js';
import { digestMarkdownRenderer } from './digest-markdown.js';
import { digestTextRenderer } from './digest-text.js';

/**
 * Every renderer of the drift report, by format. Slack's Block Kit message is
 * rendered by the Slack channel (src/slack/block-kit.ts), beside its limits.
 */
export const digestRenderers: Readonly<Record<DigestFormat, DigestRenderer>> = {
  text: digestTextRenderer,
  json: digestJsonRenderer,
  markdown: digestMarkdownRenderer,
};
