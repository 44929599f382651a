import type { Env } from '../check/workspace.js';
import { ENV_VARIABLE, type ReportConfig } from '../config/report-config.js';
import { ConfigError } from '../errors.js';

/** Where the webhook comes from when `report.slack.webhook` names none. */
export const SLACK_WEBHOOK_ENV = 'SLACK_WEBHOOK_URL';

export interface WebhookUrl {
  readonly url: string;
  /** Every piece of the URL that could appear in an error and must be masked (the path carries the token). */
  readonly secrets: readonly string[];
}

/**
 * The Slack webhook URL: `report.slack.webhook` with its `${VAR}`s filled in
 * from the environment, else SLACK_WEBHOOK_URL. It is a credential, so no
 * message here ever quotes it — only the variable it came from.
 */
export function resolveWebhookUrl(report: ReportConfig, env: Env): WebhookUrl {
  const template = report.slack?.webhook;
  let url: string;
  let from: string;
  if (template === undefined) {
    const value = env[SLACK_WEBHOOK_ENV];
    if (value === undefined || value === '') {
      throw new ConfigError([
        {
          source: 'report.slack.webhook',
          message: `no Slack webhook: set ${SLACK_WEBHOOK_ENV}, or name the variable that holds it in report.slack.webhook`,
        },
      ]);
    }
    url = value;
    from = SLACK_WEBHOOK_ENV;
  } else {
    const names: string[] = [];
    url = template.replace(new RegExp(ENV_VARIABLE.source, 'g'), (_, name: string) => {
      const value = env[name];
      if (value === undefined || value === '') {
        throw new ConfigError([
          { source: 'report.slack.webhook', message: `environment variable ${name} is not set (used in the webhook)` },
        ]);
      }
      names.push(name);
      return value;
    });
    from = names.join(', ');
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw notHttp(from);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw notHttp(from);
  return { url: parsed.href, secrets: secretsOfUrl(url, parsed) };
}

function notHttp(from: string): ConfigError {
  return new ConfigError([
    { source: 'report.slack.webhook', message: `the Slack webhook URL in ${from} is not an http(s) URL` },
  ]);
}

/** The URL as written and as parsed, its path, every longer path segment and query value, and their encodings. */
function secretsOfUrl(raw: string, url: URL): string[] {
  const pieces = new Set([raw, url.href, url.href.replace(/^https?:\/\//, ''), url.pathname, url.search.slice(1)]);
  for (const segment of url.pathname.split('/')) if (segment.length >= 8) pieces.add(segment);
  for (const value of url.searchParams.values()) if (value.length >= 4) pieces.add(value);
  if (url.password !== '') pieces.add(url.password);
  for (const piece of [...pieces]) {
    pieces.add(encodeURIComponent(piece));
    try {
      pieces.add(decodeURIComponent(piece));
    } catch {
      // Not decodable: the piece as it is is masked already.
    }
  }
  // Longest first, so a secret containing another is masked whole.
  return [...pieces].filter((piece) => piece.length >= 4 && piece !== '/').sort((a, b) => b.length - a.length);
}
