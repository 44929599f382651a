import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reportCommand } from '../../src/cli/report.js';
import { snapshotCommand } from '../../src/cli/snapshot.js';
import { backends, createWorld, describeTitle, type ReportWorld } from './report-world.js';
import { type StandInSlack, standInSlack } from './stand-in-slack.js';

/** Secrets planted in every way one reaches a report, and the webhook's own token. */
const CANARIES = {
  byName: 'canary-report-pw-5e7b10',
  byNameProduction: 'canary-report-pw-prod-77c2a4',
  byShape: 'ghp_REPORTcanaryREPORTcanaryREPORT123456',
  urlPassword: 'canary-report-url-0f9d3e',
  brokenFile: 'canary-report-broken-6a1c58',
  webhookToken: 'canaryWebhookToken9f8e7d6c',
};

const CONFIG = [
  'version: 1',
  'environments:',
  '  staging: {sources: [{path: staging.env}]}',
  '  production: {sources: [{path: production.env}]}',
  'rules: [driftwatch:recommended, rules.yaml]',
  'report: {link: "https://ci.example.test/jobs/1"}',
].join('\n');

const RULES = [
  'rules:',
  '  - {id: same-passwords, kind: equal, keys: ["*_PASSWORD"]}',
  '  - {id: tokens-match, kind: match, keys: ["*"], pattern: "^never$", severity: notice}',
].join('\n');

for (const backend of backends) {
  describe.skipIf(backend.skipReason !== undefined)(describeTitle('slack/secrets in reports', backend), () => {
    let world: ReportWorld;
    let slack: StandInSlack;
    const outputs: string[] = [];

    beforeEach(async () => {
      world = await createWorld(backend);
      slack = await standInSlack(CANARIES.webhookToken);
      outputs.length = 0;
      world.write('driftwatch.yaml', CONFIG);
      world.write('rules.yaml', RULES);
      world.write(
        'staging.env',
        [
          `API_PASSWORD=${CANARIES.byName}`,
          `DATABASE_URL=postgres://app:${CANARIES.urlPassword}@db:5432/app`,
          'ONLY_STAGING=1',
        ].join('\n'),
      );
      world.write(
        'production.env',
        [
          `API_PASSWORD=${CANARIES.byNameProduction}`,
          `NOTES=${CANARIES.byShape}`,
          `DATABASE_URL=postgres://app:${CANARIES.urlPassword}@db.prod:5432/app`,
        ].join('\n'),
      );
    });
    afterEach(async () => {
      await slack.close();
      await world.dispose();
    });

    async function driftwatch(command: (io: ReturnType<ReportWorld['io']>['io']) => Promise<number>) {
      const { io, output } = world.io({ SLACK_WEBHOOK_URL: slack.url });
      const code = await command(io);
      outputs.push(output.stdout, output.stderr);
      return { code, ...output };
    }

    it('never puts a secret or the webhook URL in a payload, a message Slack received, the output or the outbox', async () => {
      expect((await driftwatch((io) => snapshotCommand({ all: true, store: true }, io))).code).toBe(0);
      for (const format of ['text', 'json', 'markdown', 'slack'] as const) {
        const printed = await driftwatch((io) => reportCommand({ format }, io));
        expect(printed.code, printed.stderr).toBe(0);
      }
      const sent = await driftwatch((io) => reportCommand({ to: 'slack' }, io));
      expect(sent.code, sent.stderr).toBe(0);
      // The report is about the planted keys: a test that found nothing would prove nothing.
      const message = slack.received[0]?.body ?? '';
      for (const key of ['API_PASSWORD', 'NOTES', 'DATABASE_URL', 'ONLY_STAGING']) expect(message).toContain(key);

      // A second report, refused by a revoked webhook echoing its URL: the reason goes to stderr and the outbox.
      world.write('staging.env', `API_PASSWORD=${CANARIES.byName}\nONLY_STAGING=1\n`);
      slack.script((_, request) => ({ status: 404, body: `no_service ${request.url} ${slack.url}` }));
      expect((await driftwatch((io) => reportCommand({ to: 'slack' }, io))).code).toBe(2);

      // A source that cannot be parsed, with a secret on the bad line: the report names the source, not the line.
      world.write('production.env', `API_PASSWORD=${CANARIES.byNameProduction}\nNOT A LINE ${CANARIES.brokenFile}\n`);
      slack.script(() => ({ status: 200, body: 'ok' }));
      const broken = await driftwatch((io) => reportCommand({ to: 'slack' }, io));
      expect(broken.code).toBe(2);
      expect(slack.received.at(-1)?.body).toContain('Sources that could not be read');

      const rows = await world.outboxRows();
      expect(rows.map((row) => row.status)).toEqual(['delivered', 'failed', 'delivered']);
      const places: [string, string][] = [
        ...outputs.map((text, index): [string, string] => [`output ${index}`, text]),
        ...slack.received.map((entry, index): [string, string] => [`received body ${index}`, entry.body]),
        ['outbox rows', JSON.stringify(rows)],
      ];
      // The search itself sees what the history does keep.
      expect(await world.contains('ONLY_STAGING')).toBe(true);
      for (const [name, canary] of Object.entries(CANARIES)) {
        for (const [where, text] of places) expect(text.includes(canary), `${name} in ${where}`).toBe(false);
        expect(await world.contains(canary), `${name} in the history database`).toBe(false);
      }
      for (const [where, text] of places)
        expect(text.includes('/services/T0TEST'), `webhook path in ${where}`).toBe(false);
    });
  });
}
