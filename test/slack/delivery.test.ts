import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sendReport } from '../../src/check/send-report.js';
import { openDiskWorkspace } from '../../src/check/workspace.js';
import { type ReportCommandOptions, reportCommand } from '../../src/cli/report.js';
import { deliverToSlack, slackChannel } from '../../src/slack/slack-channel.js';
import { resolveWebhookUrl } from '../../src/slack/webhook-url.js';
import { createWorld, type ReportWorld } from './report-world.js';
import { refusedUrl, type StandInSlack, standInSlack } from './stand-in-slack.js';

const CONFIG = [
  'version: 1',
  'environments:',
  '  staging: {sources: [{path: staging.env}]}',
  '  production: {sources: [{path: production.env}]}',
  'rules: [rules.yaml]',
].join('\n');

/** Fast retries: the waits are what is tested, not their length. */
const FAST = { backoffMs: 20, attempts: 3 } as const;
/** For the tests of timeouts only: anything shorter than Slack's default would flake on a busy machine. */
const SHORT_TIMEOUT = { ...FAST, timeoutMs: 500 } as const;

describe('slack/delivery through the outbox, against a stand-in Slack on 127.0.0.1', () => {
  let world: ReportWorld;
  let slack: StandInSlack;

  beforeEach(async () => {
    world = await createWorld({ name: 'sqlite' });
    slack = await standInSlack('tOkEnInThePath0123456789');
    world.write('driftwatch.yaml', CONFIG);
    world.write('rules.yaml', 'rules:\n  - {id: parity, kind: parity}\n');
    world.write('staging.env', 'A=1\nB=1\n');
    world.write('production.env', 'A=1\n');
  });
  afterEach(async () => {
    await slack.close();
    await world.dispose();
  });

  async function report(url: string, options: Partial<ReportCommandOptions> = {}) {
    const { io, output } = world.io({ SLACK_WEBHOOK_URL: url });
    const code = await reportCommand({ to: 'slack', delivery: FAST, ...options }, io);
    return { code, ...output };
  }

  it('retries a 500 and delivers once', async () => {
    slack.script([{ status: 500, body: 'internal_error' }]);
    const result = await report(slack.url);
    expect(result.code, result.stderr).toBe(0);
    expect(slack.received).toHaveLength(2);
    expect(slack.accepted()).toHaveLength(1);
    expect(slack.received[1]?.body).toBe(slack.received[0]?.body);
    const [row] = await world.outboxRows();
    expect([row?.status, row?.attempts, row?.last_error]).toEqual(['delivered', 2, null]);
  });

  it('waits for the Retry-After of a 429 before trying again', async () => {
    slack.script([{ status: 429, body: 'rate_limited', headers: { 'retry-after': '1' } }]);
    const result = await report(slack.url);
    expect(result.code, result.stderr).toBe(0);
    const [limited, retried] = slack.received;
    // Measured by the stand-in: from its 429 answer to the next request. The backoff alone would be 20 ms.
    const waited = (retried?.at ?? 0) - (limited?.answeredAt ?? Number.POSITIVE_INFINITY);
    expect(waited).toBeGreaterThanOrEqual(990);
    expect(waited).toBeLessThan(5000);
    expect(slack.accepted()).toHaveLength(1);
  });

  it('leaves the report pending when Slack asks for a longer wait than it will take', async () => {
    slack.script([{ status: 429, body: 'rate_limited', headers: { 'retry-after': '120' } }]);
    const webhook = resolveWebhookUrl({ timezone: 'UTC', quiet: 'send' }, { SLACK_WEBHOOK_URL: slack.url });
    const outcome = await deliverToSlack({ text: 'hello' }, { webhook, ...FAST, maxRetryAfterMs: 2000 });
    expect(outcome).toEqual({
      ok: false,
      permanent: false,
      status: 429,
      attempts: 1,
      reason:
        'Slack answered HTTP 429: rate_limited: Slack asked to wait 120 s, longer than driftwatch waits; left for the next run',
    });
  });

  it('retries a request that timed out', async () => {
    slack.script(['hang']);
    const result = await report(slack.url, { delivery: SHORT_TIMEOUT });
    expect(result.code, result.stderr).toBe(0);
    expect(slack.received).toHaveLength(2);
    expect(slack.accepted()).toHaveLength(1);
    const [row] = await world.outboxRows();
    expect([row?.status, row?.attempts]).toEqual(['delivered', 2]);
  });

  it('keeps a report Slack never answered pending, and sends it first on the next run', async () => {
    slack.script(() => 'hang');
    const failed = await report(slack.url, { delivery: SHORT_TIMEOUT });
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain(
      'error: slack: could not send the report: no answer from Slack within 500 ms (gave up after 3 attempts); it waits in the outbox, and the next run sends it first',
    );
    const [pending] = await world.outboxRows();
    expect([pending?.status, pending?.attempts]).toEqual(['pending', 3]);

    slack.script(() => ({ status: 200, body: 'ok' }));
    const next = await report(slack.url);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout).toMatch(/^sent the report left pending since \S+ to Slack\nsent the report to Slack: /);
    const accepted = slack.accepted();
    expect(accepted).toHaveLength(2);
    expect(accepted[0]?.body).toBe(JSON.stringify(pending?.payload ? JSON.parse(String(pending.payload)) : null));
    expect((await world.outboxRows()).map((row) => row.status)).toEqual(['delivered', 'delivered']);
  });

  it('retries a refused connection, then leaves the report for the next run', async () => {
    const refused = await refusedUrl();
    const failed = await report(refused);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain(
      'could not send the report: cannot reach Slack: ECONNREFUSED (gave up after 3 attempts)',
    );
    const [row] = await world.outboxRows();
    expect([row?.status, row?.attempts, row?.last_error]).toEqual([
      'pending',
      3,
      'cannot reach Slack: ECONNREFUSED (gave up after 3 attempts)',
    ]);

    // The URL is not in the outbox: the pending report goes to whatever webhook is configured now.
    const next = await report(slack.url);
    expect(next.code, next.stderr).toBe(0);
    expect(slack.accepted().map((entry) => entry.body)[0]).toBe(JSON.stringify(JSON.parse(String(row?.payload))));
  });

  it('fails loudly and for good on a revoked webhook (404), keeping a reason without the URL', async () => {
    // Slack's answer echoes nothing of the URL, but a proxy's might: the stand-in echoes the path.
    slack.script((_, request) => ({ status: 404, body: `no_service ${request.url}` }));
    const failed = await report(slack.url);
    expect(failed.code).toBe(2);
    expect(slack.received).toHaveLength(1);
    expect(failed.stderr).toBe(
      'error: slack: could not send the report: Slack answered HTTP 404: no_service ***; the webhook was revoked or its channel archived: set a new one; it will not be tried again; the outbox keeps it as failed\n',
    );
    const [row] = await world.outboxRows();
    expect([row?.status, row?.attempts]).toEqual(['failed', 1]);
    expect(row?.last_error).toBe(
      'Slack answered HTTP 404: no_service ***; the webhook was revoked or its channel archived: set a new one',
    );
    for (const text of [failed.stdout, failed.stderr, JSON.stringify(await world.outboxRows())]) {
      expect(text).not.toContain('tOkEnInThePath0123456789');
      expect(text).not.toContain('/services/');
    }

    // Still revoked tomorrow: the failed report is not sent again; the new one fails as loudly.
    const again = await report(slack.url);
    expect(again.code).toBe(2);
    expect(slack.received).toHaveLength(2);
    expect((await world.outboxRows()).map((entry) => entry.status)).toEqual(['failed', 'failed']);
  });

  it('counts every failed delivery through its hook, for the service to export as a metric', async () => {
    slack.script(() => ({ status: 410, body: 'channel_is_archived' }));
    const workspace = await openDiskWorkspace({ configFile: `${world.dir}/driftwatch.yaml`, env: world.env });
    const webhook = resolveWebhookUrl(workspace.config.report, { SLACK_WEBHOOK_URL: slack.url });
    const failures: { permanent: boolean; status?: number }[] = [];
    const result = await sendReport(workspace, {
      channel: slackChannel({ webhook, ...FAST }),
      occurrence: '2026-06-01T08:00:00.000Z',
      onDeliveryFailure: (failure) => failures.push({ permanent: failure.permanent, status: failure.status }),
    });
    expect(result.occurrence.status).toBe('sent');
    expect(failures).toEqual([{ permanent: true, status: 410 }]);

    // The same occurrence again (a retried job): nothing is built or sent twice.
    const retried = await sendReport(workspace, {
      channel: slackChannel({ webhook, ...FAST }),
      occurrence: '2026-06-01T08:00:00.000Z',
    });
    expect(retried.occurrence).toMatchObject({ status: 'known', report: { status: 'failed' } });
    expect(slack.received).toHaveLength(1);
  });
});
