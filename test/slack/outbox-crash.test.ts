import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sendPendingReports } from '../../src/check/send-report.js';
import { openDiskWorkspace } from '../../src/check/workspace.js';
import { reportCommand } from '../../src/cli/report.js';
import { slackChannel } from '../../src/slack/slack-channel.js';
import { resolveWebhookUrl } from '../../src/slack/webhook-url.js';
import { openStore } from '../../src/store/open-store.js';
import { backends, createWorld, describeTitle, type ReportWorld } from './report-world.js';
import { type StandInSlack, standInSlack } from './stand-in-slack.js';

const CONFIG = [
  'version: 1',
  'environments:',
  '  staging: {sources: [{path: staging.env}]}',
  '  production: {sources: [{path: production.env}]}',
  'rules: [rules.yaml]',
].join('\n');

for (const backend of backends) {
  describe.skipIf(backend.skipReason !== undefined)(describeTitle('slack/outbox after a crash', backend), () => {
    let world: ReportWorld;
    let slack: StandInSlack;
    let child: ChildProcess | undefined;

    beforeEach(async () => {
      world = await createWorld(backend);
      slack = await standInSlack();
      world.write('driftwatch.yaml', CONFIG);
      world.write('rules.yaml', 'rules:\n  - {id: parity, kind: parity}\n');
      world.write('staging.env', 'A=1\nB=1\n');
      world.write('production.env', 'A=1\n');
    });
    afterEach(async () => {
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await slack.close();
      await world.dispose();
    });

    async function reportOnce() {
      const { io, output } = world.io({ SLACK_WEBHOOK_URL: slack.url });
      const code = await reportCommand({ to: 'slack', delivery: { backoffMs: 20 } }, io);
      return { code, ...output };
    }

    it('sends a report whose sender was killed between the outbox write and the send, exactly once', async () => {
      const sender = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          path.join(import.meta.dirname, 'fixtures', 'send-until-killed.ts'),
          path.join(world.dir, 'driftwatch.yaml'),
          '2026-06-01T08:00:00.000Z',
        ],
        { env: { ...process.env, ...world.env, SLACK_WEBHOOK_URL: slack.url }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      child = sender;
      let stderr = '';
      sender.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        sender.on('exit', (_code, signal) => resolve(signal)),
      );
      for await (const line of createInterface({ input: sender.stdout })) {
        if (line === 'sending 2026-06-01T08:00:00.000Z') {
          sender.kill('SIGKILL');
          break;
        }
      }
      expect(await exited, stderr).toBe('SIGKILL');
      expect(slack.received).toEqual([]);
      const [written] = await world.outboxRows();
      expect(written).toMatchObject({ occurrence: '2026-06-01T08:00:00.000Z', status: 'pending' });
      // Claimed by the dead process: on this machine its claim is seen to be stale at once.
      expect(String(written?.claimed_by)).toContain(` ${sender.pid} `);

      const next = await reportOnce();
      expect(next.code, next.stderr).toBe(0);
      expect(next.stdout.split('\n')[0]).toMatch(/^sent the report left pending since \S+ to Slack$/);
      const bodies = slack.accepted().map((entry) => entry.body);
      const crashed = JSON.stringify(JSON.parse(String(written?.payload)));
      expect(bodies.filter((body) => body === crashed)).toHaveLength(1);
      expect(bodies[0]).toBe(crashed);
      // The run's own report comes after it, and compares with it: nothing changed since.
      expect(JSON.parse(bodies[1] as string).text).toBe('driftwatch: still 1 open, none new');

      // And later runs never send it again.
      await reportOnce();
      expect(
        slack
          .accepted()
          .map((entry) => entry.body)
          .filter((body) => body === crashed),
      ).toHaveLength(1);
      const rows = await world.outboxRows();
      expect(rows.map((row) => row.status)).toEqual(['delivered', 'delivered', 'delivered']);
      // A child started with tsx on a busy machine takes its time.
    }, 90_000);

    it('sends a report written by a sender that died before it claimed it', async () => {
      const store = await openStore({
        configDir: world.dir,
        databaseUrl: world.env.DRIFTWATCH_DATABASE_URL,
        schema: world.env.DRIFTWATCH_DATABASE_SCHEMA,
      });
      try {
        await store.enqueueReport({
          occurrence: 'written, never claimed',
          channel: 'slack',
          createdAt: '2026-06-01T08:00:00.000Z',
          status: 'pending',
          payload: { text: 'left behind', blocks: [] },
          openFindings: [],
        });
      } finally {
        await store.close();
      }
      const next = await reportOnce();
      expect(next.code, next.stderr).toBe(0);
      expect(slack.accepted().map((entry) => JSON.parse(entry.body).text)).toEqual([
        'left behind',
        'driftwatch: 1 new · 1 open',
      ]);
    });

    it('sends what is pending and builds nothing, as serve does when it starts', async () => {
      const store = await openStore({
        configDir: world.dir,
        databaseUrl: world.env.DRIFTWATCH_DATABASE_URL,
        schema: world.env.DRIFTWATCH_DATABASE_SCHEMA,
      });
      try {
        await store.enqueueReport({
          occurrence: 'left by the last process',
          channel: 'slack',
          createdAt: '2026-06-01T08:00:00.000Z',
          status: 'pending',
          payload: { text: 'left behind', blocks: [] },
          openFindings: [],
        });
      } finally {
        await store.close();
      }
      const workspace = await openDiskWorkspace({
        configFile: path.join(world.dir, 'driftwatch.yaml'),
        env: world.env,
      });
      const webhook = resolveWebhookUrl(workspace.config.report, { SLACK_WEBHOOK_URL: slack.url });
      const sent = await sendPendingReports(workspace, { channel: slackChannel({ webhook }) });
      expect(sent.map((report) => [report.occurrence, report.outcome])).toEqual([
        ['left by the last process', { ok: true, attempts: 1 }],
      ]);
      expect(slack.accepted().map((entry) => JSON.parse(entry.body).text)).toEqual(['left behind']);
      expect(await sendPendingReports(workspace, { channel: slackChannel({ webhook }) })).toEqual([]);
      expect((await world.outboxRows()).map((row) => row.status)).toEqual(['delivered']);
    });

    it('leaves a report alone while a live sender holds it', async () => {
      const store = await openStore({
        configDir: world.dir,
        databaseUrl: world.env.DRIFTWATCH_DATABASE_URL,
        schema: world.env.DRIFTWATCH_DATABASE_SCHEMA,
      });
      try {
        const { report } = await store.enqueueReport({
          occurrence: 'being sent elsewhere',
          channel: 'slack',
          createdAt: '2026-06-01T08:00:00.000Z',
          status: 'pending',
          payload: { text: 'in flight', blocks: [] },
          openFindings: [],
        });
        const until = new Date(Date.now() + 60_000).toISOString();
        // Another machine's sender: its liveness cannot be seen from here, so its claim holds until it runs out.
        await store.claimReport(report.id, { claimant: 'elsewhere.example 4242 abcdef', until, expected: null });
      } finally {
        await store.close();
      }
      const next = await reportOnce();
      expect(next.code, next.stderr).toBe(0);
      expect(slack.accepted().map((entry) => JSON.parse(entry.body).text)).toEqual([
        'driftwatch: first report, 1 open',
      ]);
      expect((await world.outboxRows()).map((row) => [row.occurrence, row.status, row.claimed_by])).toEqual([
        ['being sent elsewhere', 'pending', 'elsewhere.example 4242 abcdef'],
        [expect.stringMatching(/^report /), 'delivered', null],
      ]);
    });
  });
}
