import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { COMMENT_MARKER } from '../../src/github/comment.js';
import { loadServerSettings } from '../../src/server/settings.js';
import { type RunningService, startService } from '../../src/server/start-server.js';
import { BASE, CANARY_SECRET, CONFIG } from '../github/fixtures.js';
import { changesBetween } from '../github/harness.js';
import { GithubStandIn, type StandInFiles } from '../helpers/github-stand-in.js';
import { compileCli } from './compile-cli.js';
import { type Delivery, signedDelivery, synchronizeTo } from './deliveries.js';
import { SECRET, sleep } from './harness.js';
import { createTestSchemas, postgresSkipReason, type TestSchemas } from './postgres.js';
import { type ServiceProcess, spawnService } from './service-process.js';

/**
 * The PR bot end to end: signed `synchronize` deliveries from GitHub's own
 * examples reach the real service (webhook route, store, job queue, the real
 * analysis and GitHub client), which reports to the stateful GitHub stand-in.
 * What a pull request ends up with is read from the stand-in: its comments,
 * check runs and statuses, with GitHub's semantics.
 */

const PUSHES = 20;
/** A fixed scramble of heads 1…20: the last push is neither first nor last to arrive. */
const ORDER = [3, 1, 7, 20, 2, 9, 14, 5, 11, 18, 4, 16, 6, 13, 19, 8, 12, 10, 17, 15];
/** How the service authenticates, and so how it reports: an App with check runs, a plain token with commit statuses. */
type Auth = 'app' | 'token';
const APP_BOT = 'driftwatch[bot]';
/** The user a plain token acts as. */
const TOKEN_USER = 'drift-bot';

/** The pull request of the `synchronize` example: its repository, number, base and installation. */
const EXAMPLE = synchronizeTo(1).payload as {
  installation: { id: number };
  repository: { name: string; owner: { login: string } };
  pull_request: { number: number; base: { sha: string; ref: string } };
};
const PR = {
  owner: EXAMPLE.repository.owner.login,
  repo: EXAMPLE.repository.name,
  number: EXAMPLE.pull_request.number,
  baseSha: EXAMPLE.pull_request.base.sha,
  baseRef: EXAMPLE.pull_request.base.ref,
  installationId: EXAMPLE.installation.id,
};

/** Head number `index`: a SHA of its own, so that its 7-character abbreviation differs from every other head's. */
function headSha(index: number): string {
  return createHash('sha1').update(`pull request head ${index}`).digest('hex');
}

/** The key only head `index` reads. */
function stepKey(index: number): string {
  return `STEP_${index}_URL`;
}

/** Head `index`: new code reads `STEP_<index>_URL`, which staging gains and production lacks. */
function stepHead(index: number): StandInFiles {
  return {
    ...BASE,
    'src/step.ts': `export const url = process.env.${stepKey(index)};\n`,
    'config/staging.env': `${BASE['config/staging.env']}${stepKey(index)}=https://step-${index}.staging.example\n`,
  };
}

/** The `synchronize` delivery GitHub sends for the push that made head `index`. */
function pushPayload(index: number): Record<string, unknown> {
  const { payload } = synchronizeTo(index);
  (payload.pull_request as { head: { sha: string } }).head.sha = headSha(index);
  payload.before = headSha(index - 1);
  payload.after = headSha(index);
  return payload;
}

/** The repository on the stand-in: the App installed, the base commit, heads 1…`heads`, the pull request at head 1. */
function seedRepository(github: GithubStandIn, heads: number, files: (index: number) => StandInFiles = stepHead) {
  github.install(PR.owner, PR.repo, PR.installationId);
  github.commit(PR.owner, PR.repo, BASE, { sha: PR.baseSha });
  for (let index = 1; index <= heads; index++) github.commit(PR.owner, PR.repo, files(index), { sha: headSha(index) });
  github.openPullRequest({
    owner: PR.owner,
    repo: PR.repo,
    number: PR.number,
    headSha: headSha(1),
    baseSha: PR.baseSha,
    baseRef: PR.baseRef,
    files: changesBetween(BASE, files(1)),
  });
  /** A push: the pull request's head on GitHub moves to head `index`. */
  return (index: number) =>
    github.push(PR.owner, PR.repo, PR.number, {
      headSha: headSha(index),
      files: changesBetween(BASE, files(index)),
    });
}

/** What the test needs of a running service, one process or two. */
interface ServiceUnderTest {
  /** Posts the `n`-th delivery of a batch (two replicas: alternating between them). */
  deliver(delivery: Delivery, n: number): Promise<Response>;
  /** The text of /metrics, one per process. */
  metrics(): Promise<string[]>;
  /** Every log line written so far. */
  logText(): string;
  /** The settings' secrets (webhook secret, token, a line of the App's key): never to be logged. */
  readonly secrets: readonly string[];
}

/** Sums a sample of a metric over every process's /metrics text. */
function metricSum(texts: readonly string[], sample: string): number {
  let sum = 0;
  for (const text of texts) {
    for (const line of text.split('\n')) {
      if (line.startsWith(`${sample} `)) sum += Number(line.slice(sample.length + 1));
    }
  }
  return sum;
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not in time: ${what}`);
    await sleep(50);
  }
}

/** Whether an analysis of `sha` has begun to report: its check run or its pending status exists. */
function reportStarted(github: GithubStandIn, sha: string): boolean {
  return github.checkRunsFor(sha).length > 0 || github.statuses.some((status) => status.sha === sha);
}

/** Whether the report of `sha` is final: its check run completed, or its latest status no longer pending. */
function reportFinished(github: GithubStandIn, sha: string): boolean {
  const statuses = github.statuses.filter((status) => status.sha === sha);
  return (
    github.checkRunsFor(sha).some((run) => run.status === 'completed') ||
    (statuses.length > 0 && statuses.at(-1)?.state !== 'pending')
  );
}

/** Until head `last` has its check run completed and no job waits or runs on any replica. */
async function settled(github: GithubStandIn, service: ServiceUnderTest, last: number): Promise<void> {
  await until(() => reportFinished(github, headSha(last)), `the report of head ${last} final`);
  await until(async () => {
    const texts = await service.metrics();
    return texts.every((text) => /^driftwatch_job_queue_depth\{engine="[^"]+"\} 0$/m.test(text));
  }, 'the job queue idle');
}

async function deliverAll(service: ServiceUnderTest, heads: readonly number[]): Promise<void> {
  const deliveries = await Promise.all(
    heads.map((index) => signedDelivery('pull_request', pushPayload(index), SECRET)),
  );
  const responses = await Promise.all(deliveries.map((delivery, n) => service.deliver(delivery, n)));
  for (const response of responses) {
    expect(response.status).toBe(202);
    expect(['queued', 'stale']).toContain(((await response.json()) as { outcome: string }).outcome);
  }
}

/** Exactly one comment on the pull request, the bot's, about head `last` alone; every check run or status finished. */
function expectReportedOnlyFor(github: GithubStandIn, auth: Auth, last: number, heads: number): void {
  const comments = github.commentsOn(PR.owner, PR.repo, PR.number);
  expect(comments.map((comment) => comment.login)).toEqual([auth === 'app' ? APP_BOT : TOKEN_USER]);
  const body = comments[0]?.body ?? '';
  expect(body.startsWith(`${COMMENT_MARKER}\n`)).toBe(true);
  expect(body).toContain(`- reads \`${stepKey(last)}\` at \`src/step.ts:1\`; missing in production`);
  expect(body).toContain(headSha(last).slice(0, 7));
  for (let index = 1; index <= heads; index++) {
    if (index === last) continue;
    expect(body).not.toContain(stepKey(index));
    expect(body).not.toContain(headSha(index).slice(0, 7));
  }

  if (auth === 'app') {
    const [run, ...more] = github.checkRunsFor(headSha(last));
    expect(more).toEqual([]);
    expect(run?.status).toBe('completed');
    expect(run?.conclusion).toBe('failure');
    expect(run?.output?.summary).toContain(stepKey(last));
    // A check run started for an older head was finished too (it belongs to its head): none is left running.
    expect([...github.checkRuns.values()].filter((candidate) => candidate.status !== 'completed')).toEqual([]);
    // An App reports with check runs, not commit statuses.
    expect(github.statuses).toEqual([]);
  } else {
    expect(github.checkRuns.size).toBe(0);
    expect(github.statuses.filter((status) => status.sha === headSha(last)).map((status) => status.state)).toEqual([
      'pending',
      'failure',
    ]);
    // Every head that was marked pending got its final state after: none is left pending.
    const latest = new Map(github.statuses.map((status) => [status.sha, status.state]));
    expect([...latest.values()].filter((state) => state === 'pending')).toEqual([]);
  }

  const written = JSON.stringify({
    comments: [...github.comments.values()],
    checkRuns: [...github.checkRuns.values()],
    statuses: github.statuses,
  });
  expect(written).not.toContain(CANARY_SECRET);
}

/**
 * Twenty pushes, then their deliveries all at once in a scrambled order (GitHub
 * already at the last head); then a push while its analysis runs, and nineteen
 * more pushes with their deliveries while it does.
 */
async function twentyPushesTwice(
  github: GithubStandIn,
  service: ServiceUnderTest,
  pushTo: (index: number) => void,
  auth: Auth,
) {
  pushTo(PUSHES);
  await deliverAll(service, ORDER);
  await settled(github, service, PUSHES);
  expectReportedOnlyFor(github, auth, PUSHES, PUSHES);
  // Exactly one analysis got as far as writing: every other one found a newer head on GitHub or in the queue.
  expect(metricSum(await service.metrics(), 'driftwatch_pull_request_results_total{result="reported"}')).toBe(1);

  // Head 21 alone; once its analysis has started its check run, the pull request moves on to head 40.
  pushTo(PUSHES + 1);
  await deliverAll(service, [PUSHES + 1]);
  await until(() => reportStarted(github, headSha(PUSHES + 1)), 'the analysis of head 21 under way');
  pushTo(2 * PUSHES);
  await deliverAll(
    service,
    ORDER.filter((index) => index !== 1).map((index) => PUSHES + index),
  );
  await settled(github, service, 2 * PUSHES);
  expectReportedOnlyFor(github, auth, 2 * PUSHES, 2 * PUSHES);
  const logs = service.logText();
  expect(logs).toContain('pull request analysed');
  for (const secret of [CANARY_SECRET, ...service.secrets]) expect(logs).not.toContain(secret);
}

/** What of the settings must never be written out: the webhook secret, the token, the body of the App's key. */
function secretsOf(env: Record<string, string>): string[] {
  const keyLine = env.GITHUB_APP_PRIVATE_KEY?.split('\n')[5];
  return [env.GITHUB_WEBHOOK_SECRET, env.GITHUB_TOKEN, keyLine].filter(
    (secret): secret is string => secret !== undefined && secret.length > 0,
  );
}

/** The environment `driftwatch serve` is given: the PR bot on, GitHub at the stand-in. */
function serveEnv(github: GithubStandIn, auth: Auth): Record<string, string> {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    GITHUB_WEBHOOK_SECRET: SECRET,
    ...(auth === 'app'
      ? { GITHUB_APP_ID: String(github.app.id), GITHUB_APP_PRIVATE_KEY: github.privateKey }
      : { GITHUB_TOKEN: github.userToken(TOKEN_USER) }),
    GITHUB_API_URL: github.url,
  };
}

async function post(port: number, delivery: Delivery): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}/webhooks/github`, {
    method: 'POST',
    headers: delivery.headers,
    body: delivery.body,
  });
}

describe('server/end-to-end in one process: the real PR bot, the in-process queue, SQLite', () => {
  let github: GithubStandIn;
  let dir: string;
  let service: RunningService | undefined;
  const lines: string[] = [];

  beforeEach(async () => {
    github = await new GithubStandIn().start();
    dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-end-to-end-'));
    lines.length = 0;
  });
  afterEach(async () => {
    await service?.stop('test finished');
    service = undefined;
    await github.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** `driftwatch serve`'s service as the command composes it by default: settings from the environment, the real analysis. */
  async function start(auth: Auth = 'app'): Promise<ServiceUnderTest> {
    const env = serveEnv(github, auth);
    const settings = loadServerSettings(env, { cwd: dir });
    const running = await startService({
      settings,
      logDestination: { write: (line: string) => lines.push(line) },
      handleSignals: false,
    });
    service = running;
    const { port } = running.address;
    return {
      deliver: (delivery) => post(port, delivery),
      metrics: async () => [await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()],
      logText: () => lines.join(''),
      secrets: secretsOf(env),
    };
  }

  for (const auth of ['app', 'token'] as const) {
    it(`20 concurrent synchronize deliveries, twice: exactly one comment, the last head its subject (${auth === 'app' ? 'GitHub App, check runs' : 'token, commit statuses'})`, async () => {
      const pushTo = seedRepository(github, 2 * PUSHES);
      const running = await start(auth);
      await twentyPushesTwice(github, running, pushTo, auth);
      expect(existsSync(path.join(dir, '.driftwatch', 'driftwatch.db'))).toBe(true);
    }, 120_000);
  }

  it('never runs a command source a pull request adds to driftwatch.yaml', async () => {
    const canary = path.join(dir, 'CANARY');
    const script = `require('fs').writeFileSync(${JSON.stringify(canary)}, 'ran')`;
    const evil = CONFIG.replace(
      'sources: [{path: config/production.env}]',
      `sources: [{path: config/production.env}, {command: [node, -e, ${JSON.stringify(script)}]}, {command: [touch, ${JSON.stringify(canary)}]}]`,
    );
    seedRepository(github, 1, (index) => ({ ...stepHead(index), 'driftwatch.yaml': evil }));
    const running = await start();
    await deliverAll(running, [1]);
    await settled(github, running, 1);

    expect(existsSync(canary)).toBe(false);
    const comments = github.commentsOn(PR.owner, PR.repo, PR.number);
    expect(comments.map((comment) => comment.login)).toEqual([APP_BOT]);
    const body = comments[0]?.body ?? '';
    expect(body).toContain("config of driftwatch changed; analysed with the base's (`driftwatch.yaml`)");
    expect(body).toContain(`- reads \`${stepKey(1)}\` at \`src/step.ts:1\`; missing in production`);
    expect(body).not.toContain('command:');
    expect(github.checkRunsFor(headSha(1)).map((run) => [run.status, run.conclusion])).toEqual([
      ['completed', 'failure'],
    ]);
  }, 60_000);
});

describe.skipIf(postgresSkipReason !== undefined)(
  `server/end-to-end across two bin/driftwatch.js serve processes on PostgreSQL${postgresSkipReason === undefined ? '' : ` (skipped: ${postgresSkipReason})`}`,
  () => {
    let cli: string;
    let github: GithubStandIn;
    let schemas: TestSchemas;
    const dirs: string[] = [];
    const services: ServiceProcess[] = [];

    beforeAll(async () => {
      cli = await compileCli();
    }, 180_000);
    afterAll(() => rmSync(cli, { recursive: true, force: true }));
    beforeEach(async () => {
      github = await new GithubStandIn().start();
      schemas = await createTestSchemas();
    });
    afterEach(async () => {
      for (const running of services.splice(0)) {
        running.kill('SIGKILL');
        await running.exited;
      }
      await github.stop();
      await schemas.drop();
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    });

    it('20 concurrent synchronize deliveries split over two replicas, twice: exactly one comment, the last head its subject', async () => {
      const pushTo = seedRepository(github, 2 * PUSHES);
      const env = {
        ...serveEnv(github, 'app'),
        DATABASE_URL: schemas.storeUrl,
        DRIFTWATCH_DATABASE_SCHEMA: schemas.storeSchema,
        DRIFTWATCH_JOBS_SCHEMA: schemas.jobsSchema,
        DRIFTWATCH_FINGERPRINT_KEY: '5ade'.repeat(16),
      };
      for (let replica = 0; replica < 2; replica++) {
        const cwd = mkdtempSync(path.join(tmpdir(), 'driftwatch-replica-'));
        dirs.push(cwd);
        services.push(spawnService(env, [path.join(cli, 'bin/driftwatch.js')], cwd));
      }
      const ports = await Promise.all(services.map((running) => running.port));
      const underTest: ServiceUnderTest = {
        deliver: (delivery, n) => post(ports[n % 2] as number, delivery),
        metrics: () => Promise.all(ports.map(async (port) => (await fetch(`http://127.0.0.1:${port}/metrics`)).text())),
        logText: () => services.map((running) => `${JSON.stringify(running.logs)}${running.stderr()}`).join('\n'),
        secrets: secretsOf(env),
      };

      await twentyPushesTwice(github, underTest, pushTo, 'app');
      // Both replicas took deliveries; one table of them, shared.
      for (const running of services) {
        expect(running.logs.filter((entry) => entry.msg === 'webhook delivery').length).toBeGreaterThan(0);
      }
      const rows = await schemas.query(`select count(*)::int as count from ${schemas.storeSchema}.webhook_deliveries`);
      expect(rows).toEqual([{ count: 2 * PUSHES }]);

      for (const running of services) running.kill('SIGTERM');
      for (const running of services) expect(await running.exited).toEqual({ code: 0, signal: null });
      for (const running of services) expect(running.stderr()).toBe('');
    }, 180_000);
  },
);
