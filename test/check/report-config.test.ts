import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';
import { resolveWebhookUrl } from '../../src/slack/webhook-url.js';

const BASE = ['version: 1', 'environments:', '  staging: {sources: [{path: staging.env}]}'].join('\n');

function parse(report: string) {
  return parseConfig(`${BASE}\n${report}`, '/repo/driftwatch.yaml', 'driftwatch.yaml');
}

function problemsOf(report: string): string[] {
  try {
    parse(report);
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split('\n');
    throw error;
  }
  throw new Error('expected a config error');
}

describe('config: the report block', () => {
  it('defaults to UTC and to saying so on a quiet day', () => {
    expect(parse('').report).toEqual({ timezone: 'UTC', quiet: 'send' });
  });

  it('reads the whole block, and spells a time zone as IANA does', () => {
    const config = parse(
      [
        'report:',
        '  schedule: "0 8 * * 1-5"',
        '  timezone: europe/berlin',
        '  slack: {webhook: "${SLACK_WEBHOOK_URL}"}',
        '  link: https://ci.example.test/jobs/42',
        '  quiet: skip',
      ].join('\n'),
    );
    expect(config.report).toEqual({
      schedule: '0 8 * * 1-5',
      timezone: 'Europe/Berlin',
      slack: { webhook: '${SLACK_WEBHOOK_URL}' },
      link: 'https://ci.example.test/jobs/42',
      quiet: 'skip',
    });
  });

  it('names file, line and column of a bad schedule, time zone, link or quiet', () => {
    expect(
      problemsOf(
        [
          'report:',
          '  schedule: "61 8 * * *"',
          '  timezone: Mars/Olympus_Mons',
          '  link: ftp://files.example.test/',
          '  quiet: sometimes',
        ].join('\n'),
      ),
    ).toEqual([
      'driftwatch.yaml:5:13: report.schedule: not a valid cron expression: Invalid value for minute: 61',
      "driftwatch.yaml:6:13: report.timezone: unknown time zone 'Mars/Olympus_Mons'; expected an IANA name such as Europe/Berlin or UTC",
      'driftwatch.yaml:7:9: report.link: link must be an http:// or https:// URL',
      'driftwatch.yaml:8:10: report.quiet: quiet is send (say so on a quiet day) or skip (send nothing)',
    ]);
  });

  it('wants a schedule of five fields: minutes are the finest grain the cluster scheduler has', () => {
    expect(problemsOf('report: {schedule: "*/30 * * * * *"}')).toEqual([
      'driftwatch.yaml:4:20: report.schedule: a schedule is a cron expression of five fields (minute hour day month weekday), such as "0 8 * * 1-5"; got 6',
    ]);
    expect(problemsOf('report: {schedule: "every morning"}')[0]).toMatch(/^driftwatch\.yaml:4:20: report\.schedule: /);
  });

  it('refuses a webhook URL written in the config, without repeating it', () => {
    const problems = problemsOf('report: {slack: {webhook: "https://hooks.slack.com/services/T1/B2/literalsecret"}}');
    expect(problems).toEqual([
      'driftwatch.yaml:4:27: report.slack.webhook: a Slack webhook URL is a secret: write "${SLACK_WEBHOOK_URL}" (or another variable) and set it in the environment',
    ]);
    expect(problems.join('\n')).not.toContain('literalsecret');
  });
});

describe('slack/webhook-url', () => {
  const url = 'https://hooks.slack.com/services/T0001/B0002/sEcReTtOkEn123456';

  it('takes SLACK_WEBHOOK_URL when the block names no webhook', () => {
    expect(resolveWebhookUrl(parse('').report, { SLACK_WEBHOOK_URL: url }).url).toBe(url);
  });

  it('fills in the variables the block names; those win over SLACK_WEBHOOK_URL', () => {
    const report = parse('report: {slack: {webhook: "https://hooks.slack.com/services/${TEAM_HOOK}"}}').report;
    const resolved = resolveWebhookUrl(report, { TEAM_HOOK: 'T9/B9/other', SLACK_WEBHOOK_URL: url });
    expect(resolved.url).toBe('https://hooks.slack.com/services/T9/B9/other');
    expect(resolved.secrets).toContain('/services/T9/B9/other');
  });

  it('says which variable is missing or wrong, never the URL', () => {
    const none = parse('').report;
    expect(() => resolveWebhookUrl(none, {})).toThrow(
      'report.slack.webhook: no Slack webhook: set SLACK_WEBHOOK_URL, or name the variable that holds it in report.slack.webhook',
    );
    const named = parse('report: {slack: {webhook: "${TEAM_HOOK}"}}').report;
    expect(() => resolveWebhookUrl(named, {})).toThrow(
      'report.slack.webhook: environment variable TEAM_HOOK is not set (used in the webhook)',
    );
    let message = '';
    try {
      resolveWebhookUrl(named, { TEAM_HOOK: 'ftp://hooks.example.test/sEcReTtOkEn123456' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe('report.slack.webhook: the Slack webhook URL in TEAM_HOOK is not an http(s) URL');
  });
});

describe('README: the report block', () => {
  it('shows a report block that driftwatch accepts', () => {
    const readme = readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');
    const block = [...readme.matchAll(/```yaml\n(report:\n[\s\S]*?)```/g)].map((match) => match[1] as string)[0];
    expect(block).toBeDefined();
    expect(parse(block as string).report).toEqual({
      schedule: '0 8 * * 1-5',
      timezone: 'Europe/Berlin',
      slack: { webhook: '${SLACK_WEBHOOK_URL}' },
      link: 'https://ci.example.com/drift',
      quiet: 'send',
    });
  });
});
