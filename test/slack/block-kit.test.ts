import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildReportDigest } from '../../src/check/report-digest.js';
import type { ReportDigest } from '../../src/report/digest.js';
import type { Finding, Report, ReportError, Severity } from '../../src/report/report.js';
import { MESSAGE_BUDGET, SLACK_LIMITS, type SlackMessage, slackMessage } from '../../src/slack/block-kit.js';
import { slackCode, slackLink, slackText, truncateText } from '../../src/slack/mrkdwn.js';
import { deliverToSlack } from '../../src/slack/slack-channel.js';
import { resolveWebhookUrl } from '../../src/slack/webhook-url.js';
import { type StandInSlack, standInSlack } from './stand-in-slack.js';

const NOW = new Date('2026-11-25T07:00:00.000Z');
const DAY_MS = 86_400_000;
const SEVERITIES: Severity[] = ['error', 'warning', 'notice'];

function finding(index: number, overrides: Partial<Finding> = {}): Finding {
  return {
    id: `f${String(index).padStart(6, '0')}`,
    rule: index % 2 === 0 ? 'parity' : 'same-feature-flags',
    kind: index % 2 === 0 ? 'parity' : 'equal',
    severity: SEVERITIES[index % 3] as Severity,
    key: `service${index % 40}.section${index % 7}.setting_${index}`,
    envs: ['production'],
    message: 'never shown in a digest',
    locations: [],
    ...overrides,
  };
}

function reportOf(findings: Finding[], errors: ReportError[] = [], environments = ['staging', 'production']): Report {
  const summary = { error: 0, warning: 0, notice: 0 };
  for (const item of findings) summary[item.severity]++;
  return {
    version: 1,
    environments: environments.map((name) => ({ name, keys: 10_000, sources: [] })),
    findings,
    errors,
    summary,
    rules: [],
  };
}

/** A digest whose last report saw `before` open; every finding first seen `index` hours before NOW. */
function digestOf(
  findings: Finding[],
  before: Finding[] = [],
  options: { errors?: ReportError[]; envs?: string[] } = {},
) {
  const firstSeen = new Map(
    findings.map((item, index) => [item.id, new Date(NOW.getTime() - index * 3_600_000).toISOString()]),
  );
  return buildReportDigest({
    report: reportOf(findings, options.errors, options.envs),
    incomplete: (options.errors ?? []).length > 0,
    previous: { createdAt: new Date(NOW.getTime() - DAY_MS).toISOString(), openFindings: before },
    firstSeen,
    now: NOW,
    timezone: 'Europe/Berlin',
    link: 'https://ci.example.test/jobs/42?tab=report&x=<1>',
  });
}

function sectionTexts(message: SlackMessage): string[] {
  return message.blocks.flatMap((block) => (block.type === 'section' ? [block.text.text] : []));
}

/** Every limit Slack sets and the budget driftwatch sets itself. */
function expectWithinLimits(message: SlackMessage) {
  const json = JSON.stringify(message);
  expect(json.length).toBeLessThanOrEqual(MESSAGE_BUDGET);
  expect(json.length).toBeLessThan(12_000);
  // No half of a surrogate pair (JSON.stringify would write one as an escape): nothing was cut inside a character.
  expect(json).not.toMatch(/\\ud[89a-f][0-9a-f]{2}/i);
  expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
  for (const block of message.blocks) {
    if (block.type === 'header') expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    if (block.type === 'section') expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
  }
}

/** A list section's bullet lines and the count its last line says it left out. */
function listOf(text: string) {
  const [, ...lines] = text.split('\n');
  const more = /^_…and (\d+) more_$/.exec(lines.at(-1) ?? '');
  return { items: more ? lines.slice(0, -1) : lines, more: more ? Number(more[1]) : 0 };
}

describe('slack/block-kit', () => {
  it('fits a report of 5,000 findings in Slack’s limits, summarising whole lines', () => {
    const before = Array.from({ length: 5000 }, (_, index) => finding(index + 10_000));
    const now = Array.from({ length: 5000 }, (_, index) => finding(index));
    const message = slackMessage(digestOf(now, before));
    expectWithinLimits(message);
    expect(message.text).toBe('driftwatch: 5000 new, 5000 resolved · 5000 open');
    expect(message.blocks.map((block) => block.type)).toEqual([
      'header',
      'section',
      'section',
      'section',
      'section',
      'section',
      'context',
    ]);
    const [summary, fresh, resolved, oldest, top] = sectionTexts(message);
    expect(summary).toBe(
      [
        '*5000 open*: 1667 errors, 1667 warnings, 1666 notices',
        '*By environment*: staging 0 (10000 keys) · production 5000 (10000 keys)',
        'Since the last report (2026-11-24 08:00): *5000 new*, *5000 resolved*',
      ].join('\n'),
    );
    for (const [text, total] of [
      [fresh, 5000],
      [resolved, 5000],
      [top, 5000],
    ] as const) {
      const { items, more } = listOf(text as string);
      expect(items.length).toBeGreaterThan(5);
      expect(items.length + more).toBe(total);
      // Whole lines only: each ends with its rule.
      for (const item of items) expect(item).toMatch(/^• .* — (parity|same-feature-flags)$/);
    }
    expect(fresh?.split('\n')[0]).toBe('*New since the last report (5000)*');
    expect(fresh?.split('\n')[1]).toBe('• :red_circle: `service0.section0.setting_0` in production — parity');
    expect(listOf(oldest as string)).toEqual({
      items: [
        // 4,999 hours before 07:00 UTC on 25 November is 23:00 UTC on 30 April: 1 May in Berlin.
        '• 208 days (since 2026-05-01) · :large_orange_circle: `service39.section1.setting_4999` in production — same-feature-flags',
        '• 208 days (since 2026-05-01) · :red_circle: `service38.section0.setting_4998` in production — parity',
        '• 208 days (since 2026-05-01) · :large_blue_circle: `service37.section6.setting_4997` in production — same-feature-flags',
        '• 208 days (since 2026-05-01) · :large_orange_circle: `service36.section5.setting_4996` in production — parity',
        '• 208 days (since 2026-05-01) · :red_circle: `service35.section4.setting_4995` in production — same-feature-flags',
      ],
      more: 0,
    });
  });

  it('cuts long keys at a character boundary before escaping, never inside an emoji or an entity', () => {
    const family = '👨‍👩‍👧‍👦';
    const long = `${'k'.repeat(110)}&${family.repeat(20)}<x>`;
    const findings = Array.from({ length: 400 }, (_, index) => finding(index, { key: `${long}${index}` }));
    const message = slackMessage(digestOf(findings));
    expectWithinLimits(message);
    const line = listOf(sectionTexts(message)[1] as string).items[0] as string;
    // 119 characters kept of the key, then the ellipsis: the & is escaped whole, the family emoji kept whole.
    expect(line).toBe(`• :red_circle: \`${'k'.repeat(110)}&amp;${family.repeat(8)}…\` in production — parity`);
    expect(truncateText(`ab${family}cd`, 3)).toBe('ab…');
    expect(truncateText(`ab${family}`, 3)).toBe(`ab${family}`);
  });

  it('escapes keys and names so that config cannot mention a channel, link or format code', () => {
    const hostile = finding(0, {
      key: '<!channel> & <https://evil.example|click> `code` <@U123>\nline',
      envs: ['production'],
      rule: 'parity',
    });
    const message = slackMessage(digestOf([hostile]));
    const line = listOf(sectionTexts(message)[1] as string).items[0];
    expect(line).toBe(
      '• :red_circle: `&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt; ˋcodeˋ &lt;@U123&gt;\\nline` in production — parity',
    );
    expect(JSON.stringify(message)).not.toMatch(/<!channel>|<@U123>|<https:\/\/evil/);
    expect(slackText('a < b && c > d')).toBe('a &lt; b &amp;&amp; c &gt; d');
    expect(slackCode('x`y')).toBe('`xˋy`');
    expect(slackLink('https://ci.example.test/a|b?c=<1>&d', 'Details <now>')).toBe(
      '<https://ci.example.test/a%7Cb?c=%3C1%3E&amp;d|Details &lt;now&gt;>',
    );
  });

  it('keeps dozens of environments and hundreds of failed sources within the limits', () => {
    const envs = Array.from({ length: 80 }, (_, index) => `environment-with-a-long-name-${index}`);
    const errors = Array.from({ length: 300 }, (_, index) => ({
      env: envs[index % 80] as string,
      source: `https://config.internal/${index}`,
      message: `HTTP 500 ${'x'.repeat(400)}`,
    }));
    const message = slackMessage(digestOf([], [], { errors, envs }));
    expectWithinLimits(message);
    expect(message.text).toBe('driftwatch: the check could not be completed (300 source problems)');
    const [, failed] = sectionTexts(message);
    const { items, more } = listOf(failed as string);
    expect(items.length + more).toBe(300);
    expect(items[0]).toMatch(/^• \[environment-with-a-long-name-0\] https:\/\/config\.internal\/0: HTTP 500 x+…$/);

    const clean = slackMessage(
      digestOf(
        Array.from({ length: 50 }, (_, index) => finding(index, { envs: envs.slice(0, 5) })),
        [],
        { envs },
      ),
    );
    expectWithinLimits(clean);
    expect(sectionTexts(clean)[0]).toMatch(/ · and \d+ more\n/);
    expect(listOf(sectionTexts(clean)[2] as string).items[0]).toMatch(
      / in environment-with-a-long-name-0, environment-with-a-long-name-1, environment-with-a-long-name-2 \+2 — /,
    );
  });

  it('says a quiet day in one line', () => {
    const findings = [finding(0), finding(1)];
    const quiet: ReportDigest = digestOf(findings, findings);
    expect(slackMessage(quiet)).toEqual({
      text: 'driftwatch: still 2 open, none new',
      blocks: [
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: 'driftwatch: still 2 open, none new · <https://ci.example.test/jobs/42?tab=report&amp;x=%3C1%3E|details>',
          },
        },
      ],
      unfurl_links: false,
      unfurl_media: false,
    });
  });

  describe('through the real client to a stand-in Slack', () => {
    let slack: StandInSlack;
    beforeEach(async () => {
      slack = await standInSlack();
    });
    afterEach(async () => {
      await slack.close();
    });

    it('posts exactly the payload, text fallback and blocks, as one JSON body', async () => {
      const message = slackMessage(digestOf(Array.from({ length: 5000 }, (_, index) => finding(index))));
      const webhook = resolveWebhookUrl({ timezone: 'UTC', quiet: 'send' }, { SLACK_WEBHOOK_URL: slack.url });
      expect(await deliverToSlack(message, { webhook })).toEqual({ ok: true, attempts: 1 });
      expect(slack.received).toHaveLength(1);
      const [received] = slack.received;
      expect(received?.path).toBe(new URL(slack.url).pathname);
      expect(JSON.parse(received?.body ?? '')).toEqual(message);
      expect(Buffer.byteLength(received?.body ?? '')).toBeLessThan(16_000);
    });
  });
});
