import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ReportCommandOptions, reportCommand } from '../../src/cli/report.js';
import { snapshotCommand } from '../../src/cli/snapshot.js';
import type { SlackMessage } from '../../src/slack/block-kit.js';
import { backends, createWorld, describeTitle, type ReportWorld } from '../slack/report-world.js';
import { type StandInSlack, standInSlack } from '../slack/stand-in-slack.js';

const DAY_MS = 86_400_000;
/** 07:00 UTC is 08:00 in Berlin in winter, 09:00 in summer. */
const DAY_0 = Date.parse('2026-03-02T07:00:00.000Z');
const day = (n: number) => new Date(DAY_0 + n * DAY_MS);

const CONFIG = (extra = '') =>
  [
    'version: 1',
    'environments:',
    '  staging: {sources: [{path: staging.env}]}',
    '  production: {sources: [{path: production.env}]}',
    'rules: [rules.yaml]',
    'report:',
    '  timezone: Europe/Berlin',
    '  link: https://ci.example.test/jobs/42',
    extra,
  ].join('\n');

const RULES = [
  'rules:',
  '  - {id: parity, kind: parity}',
  '  - {id: same-timeouts, kind: equal, keys: [HTTP_TIMEOUT], severity: error}',
].join('\n');

function sections(message: SlackMessage): string[] {
  return message.blocks.flatMap((block) => (block.type === 'section' ? [block.text.text] : []));
}

function sectionStarting(message: SlackMessage, title: string): string | undefined {
  return sections(message).find((text) => text.startsWith(title));
}

function headerOf(message: SlackMessage): string | undefined {
  const header = message.blocks.find((block) => block.type === 'header');
  return header?.type === 'header' ? header.text.text : undefined;
}

for (const backend of backends) {
  describe.skipIf(backend.skipReason !== undefined)(describeTitle('check/report-digest across runs', backend), () => {
    let world: ReportWorld;
    let slack: StandInSlack;

    beforeEach(async () => {
      world = await createWorld(backend);
      slack = await standInSlack();
      world.write('driftwatch.yaml', CONFIG());
      world.write('rules.yaml', RULES);
    });
    afterEach(async () => {
      await slack.close();
      await world.dispose();
    });

    /** Stores a snapshot of every environment, then sends the report as of `now`; returns what Slack received. */
    async function snapshotAndReport(now: Date, options: Partial<ReportCommandOptions> = {}) {
      const snapshot = world.io();
      expect(await snapshotCommand({ all: true, store: true, now }, snapshot.io), snapshot.output.stderr).toBe(0);
      const before = slack.received.length;
      const { io, output } = world.io({ SLACK_WEBHOOK_URL: slack.url });
      const code = await reportCommand({ to: 'slack', now, ...options }, io);
      const messages = slack.received.slice(before).map((entry) => JSON.parse(entry.body) as SlackMessage);
      return { code, output, messages };
    }

    it('says what is new, what was resolved and what has been open longest, over three runs with history between', async () => {
      // Run 1: B only in staging, OLD only in production, HTTP_TIMEOUT differs.
      world.write('staging.env', 'A=1\nB=1\nHTTP_TIMEOUT=5\n');
      world.write('production.env', 'A=1\nHTTP_TIMEOUT=30\nOLD=1\n');
      const first = await snapshotAndReport(day(0));
      expect(first.code, first.output.stderr).toBe(0);
      expect(first.messages).toHaveLength(1);
      const [one] = first.messages as [SlackMessage];
      expect(headerOf(one)).toBe('driftwatch: first report, 3 open');
      expect(sections(one)[0]).toBe(
        [
          '*3 open*: 1 error, 2 warnings, 0 notices',
          '*By environment*: staging 2 (3 keys) · production 2 (3 keys)',
          'First report: from the next one on, it says what is new and what was resolved.',
        ].join('\n'),
      );
      // The first report lists the top findings, not the same ones again as "new".
      expect(sectionStarting(one, '*New')).toBeUndefined();
      expect(sectionStarting(one, '*Top findings*')).toBe(
        [
          '*Top findings*',
          '• :red_circle: `HTTP_TIMEOUT` in production, staging — same-timeouts',
          '• :large_orange_circle: `B` in production — parity',
          '• :large_orange_circle: `OLD` in staging — parity',
        ].join('\n'),
      );
      expect(first.output.stdout).toBe('sent the report to Slack: driftwatch: first report, 3 open\n');

      // Run 2, ten days on: C appears in staging only; production's timeout is fixed.
      world.write('staging.env', 'A=1\nB=1\nC=1\nHTTP_TIMEOUT=5\n');
      world.write('production.env', 'A=1\nHTTP_TIMEOUT=5\nOLD=1\n');
      const second = await snapshotAndReport(day(10));
      expect(second.code, second.output.stderr).toBe(0);
      const [two] = second.messages as [SlackMessage];
      expect(headerOf(two)).toBe('driftwatch: 1 new, 1 resolved · 3 open');
      expect(sections(two)[0]).toContain('Since the last report (2026-03-02 08:00): *1 new*, *1 resolved*');
      expect(sectionStarting(two, '*New since the last report (1)*')).toBe(
        '*New since the last report (1)*\n• :large_orange_circle: `C` in production — parity',
      );
      expect(sectionStarting(two, '*Resolved (1)*')).toBe(
        '*Resolved (1)*\n• :red_circle: `HTTP_TIMEOUT` in production, staging — same-timeouts',
      );
      expect(sectionStarting(two, '*Open longest*')).toBe(
        [
          '*Open longest*',
          '• 10 days (since 2026-03-02) · :large_orange_circle: `B` in production — parity',
          '• 10 days (since 2026-03-02) · :large_orange_circle: `OLD` in staging — parity',
          '• today (since 2026-03-12) · :large_orange_circle: `C` in production — parity',
        ].join('\n'),
      );

      // Run 3, forty days after the first (summer time in Berlin): B reaches production.
      world.write('production.env', 'A=1\nB=1\nHTTP_TIMEOUT=5\nOLD=1\n');
      const third = await snapshotAndReport(day(40));
      expect(third.code, third.output.stderr).toBe(0);
      const [three] = third.messages as [SlackMessage];
      expect(headerOf(three)).toBe('driftwatch: none new, 1 resolved · 2 open');
      expect(sections(three)[0]).toContain('Since the last report (2026-03-12 08:00): *0 new*, *1 resolved*');
      expect(sectionStarting(three, '*New')).toBeUndefined();
      expect(sectionStarting(three, '*Resolved (1)*')).toBe(
        '*Resolved (1)*\n• :large_orange_circle: `B` in production — parity',
      );
      expect(sectionStarting(three, '*Open longest*')).toBe(
        [
          '*Open longest*',
          '• 40 days (since 2026-03-02) · :large_orange_circle: `OLD` in staging — parity',
          '• 30 days (since 2026-03-12) · :large_orange_circle: `C` in production — parity',
        ].join('\n'),
      );
      const context = three.blocks.at(-1);
      expect(context).toEqual({
        type: 'context',
        elements: [
          { type: 'mrkdwn', text: '<https://ci.example.test/jobs/42|Details>' },
          { type: 'mrkdwn', text: 'driftwatch · 2026-04-11 09:00 (Europe/Berlin)' },
        ],
      });

      // Each delivered report keeps the findings it saw open: the next one diffs against exactly that.
      const rows = await world.outboxRows();
      expect(rows.map((row) => [row.status, Number(row.attempts)])).toEqual([
        ['delivered', 1],
        ['delivered', 1],
        ['delivered', 1],
      ]);
      const openKeys = rows.map((row) =>
        (JSON.parse(String(row.open_findings)) as { key: string }[]).map((finding) => finding.key),
      );
      expect(openKeys).toEqual([
        ['HTTP_TIMEOUT', 'B', 'OLD'],
        ['B', 'C', 'OLD'],
        ['C', 'OLD'],
      ]);
      expect(rows.map((row) => JSON.parse(String(row.payload)))).toEqual([one, two, three]);
    });

    it('says "still N open, none new" and "still clean" on quiet days, in one line', async () => {
      world.write('staging.env', 'A=1\nB=1\nHTTP_TIMEOUT=5\n');
      world.write('production.env', 'A=1\nHTTP_TIMEOUT=5\n');
      await snapshotAndReport(day(0));
      const quiet = await snapshotAndReport(day(1));
      expect(quiet.code, quiet.output.stderr).toBe(0);
      expect(quiet.messages).toEqual([
        {
          text: 'driftwatch: still 1 open, none new',
          blocks: [
            {
              type: 'section',
              text: {
                type: 'mrkdwn',
                text: 'driftwatch: still 1 open, none new · <https://ci.example.test/jobs/42|details>',
              },
            },
          ],
          unfurl_links: false,
          unfurl_media: false,
        },
      ]);

      world.write('production.env', 'A=1\nB=1\nHTTP_TIMEOUT=5\n');
      const fixed = await snapshotAndReport(day(2));
      expect(fixed.messages.map(headerOf)).toEqual(['driftwatch: none new, 1 resolved · clean']);
      const clean = await snapshotAndReport(day(3));
      expect(clean.messages.map((message) => message.text)).toEqual(['driftwatch: still clean']);
      expect(clean.messages[0]?.blocks).toHaveLength(1);
    });

    it('sends nothing on a quiet day with quiet: skip, and still sends news', async () => {
      world.write('driftwatch.yaml', CONFIG('  quiet: skip'));
      world.write('staging.env', 'A=1\nB=1\nHTTP_TIMEOUT=5\n');
      world.write('production.env', 'A=1\nHTTP_TIMEOUT=5\n');
      expect((await snapshotAndReport(day(0))).messages).toHaveLength(1);

      const quiet = await snapshotAndReport(day(1));
      expect(quiet.code).toBe(0);
      expect(quiet.messages).toEqual([]);
      expect(quiet.output.stdout).toBe(
        'nothing sent: a quiet day and report.quiet is skip (driftwatch: still 1 open, none new)\n',
      );
      expect((await world.outboxRows()).map((row) => row.status)).toEqual(['delivered', 'skipped']);

      // The preview still prints the day's one line, and says that nothing would be sent.
      const preview = world.io();
      expect(await reportCommand({ now: day(1) }, preview.io)).toBe(0);
      expect(preview.output.stdout).toBe(
        'driftwatch: still 1 open, none new · details: https://ci.example.test/jobs/42\n',
      );
      expect(preview.output.stderr).toContain('with report.quiet: skip, nothing would be sent to Slack');

      // News is sent, measured against the last report that was delivered, not the skipped day.
      world.write('production.env', 'A=1\nB=1\nHTTP_TIMEOUT=5\n');
      const news = await snapshotAndReport(day(2));
      expect(news.messages.map(headerOf)).toEqual(['driftwatch: none new, 1 resolved · clean']);
      expect(sections(news.messages[0] as SlackMessage)[0]).toContain('Since the last report (2026-03-02 08:00)');
    });

    it('reports sources that failed instead of calling their findings resolved, and fails closed', async () => {
      world.write('staging.env', 'A=1\nB=1\nHTTP_TIMEOUT=5\n');
      world.write('production.env', 'A=1\nHTTP_TIMEOUT=5\n');
      await snapshotAndReport(day(0));

      world.write(
        'driftwatch.yaml',
        CONFIG().replace('{path: production.env}', '{path: production.env}, {path: missing.env}'),
      );
      const { io, output } = world.io({ SLACK_WEBHOOK_URL: slack.url });
      const before = slack.received.length;
      expect(await reportCommand({ to: 'slack', now: day(1) }, io)).toBe(2);
      expect(output.stderr).toContain('the check could not be completed (1 source problem(s))');
      const [message] = slack.received.slice(before).map((entry) => JSON.parse(entry.body) as SlackMessage);
      expect(message?.text).toBe('driftwatch: the check could not be completed (1 source problem)');
      expect(sections(message as SlackMessage)).toEqual([
        '*The check could not be completed*: until every source can be read, nothing is said about findings.\nChecked 2026-03-03 08:00 (Europe/Berlin).',
        ':warning: *Sources that could not be read (1)*\n• [production] missing.env: file not found',
      ]);

      // The failed check is no base for news: the next complete one is compared with the last complete one.
      world.write('driftwatch.yaml', CONFIG());
      const after = await snapshotAndReport(day(2));
      expect(after.messages.map((m) => m.text)).toEqual(['driftwatch: still 1 open, none new']);
    });
  });
}
