import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ANNOTATIONS_PER_REQUEST } from '../../src/github/check-run.js';
import { COMMENT_MARKER, MAX_COMMENT_LENGTH } from '../../src/github/comment.js';
import type { AnalyzePullRequestJob } from '../../src/jobs/jobs.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { GithubStandIn, type StandInFiles } from '../helpers/github-stand-in.js';
import { snapshotOf } from '../helpers/snapshots.js';
import { BASE, CANARY_SECRET, CONFIG, HEAD, PACK, wideHead } from './fixtures.js';
import { appSettings, botFor, changesBetween, examplePayload, jobOf, tokenSettings } from './harness.js';

let github: GithubStandIn;

beforeEach(async () => {
  github = await new GithubStandIn().start();
});

afterEach(async () => {
  await github.stop();
});

/** Seeds the stand-in with the synchronize example's repository, pull request and SHAs. */
function seedExample(base: StandInFiles = BASE, head: StandInFiles = HEAD, options: { draft?: boolean } = {}) {
  const payload = examplePayload('synchronize');
  const job = jobOf(payload);
  github.install(job.owner, job.repo, job.installationId as number);
  github.commit(job.owner, job.repo, base, { sha: job.baseSha });
  github.commit(job.owner, job.repo, head, { sha: job.headSha });
  github.openPullRequest({
    owner: job.owner,
    repo: job.repo,
    number: job.number,
    headSha: job.headSha,
    baseSha: job.baseSha,
    baseRef: job.baseRef,
    draft: options.draft ?? false,
    files: changesBetween(base, head),
  });
  return job;
}

/** A new push to the pull request: a new head commit; the job a synchronize delivery would queue for it. */
function pushHead(job: AnalyzePullRequestJob, base: StandInFiles, head: StandInFiles): AnalyzePullRequestJob {
  const headSha = github.commit(job.owner, job.repo, head);
  github.push(job.owner, job.repo, job.number, { headSha, files: changesBetween(base, head) });
  return { ...job, headSha, deliveryId: `delivery-${headSha.slice(0, 8)}` };
}

function commentsOf(job: AnalyzePullRequestJob) {
  return github.commentsOn(job.owner, job.repo, job.number);
}

/** Everything the bot wrote to GitHub, as text: where a planted secret must not be. */
function everythingWritten(): string {
  return JSON.stringify({
    comments: [...github.comments.values()],
    checkRuns: [...github.checkRuns.values()],
    statuses: github.statuses,
  });
}

describe('github/pull-request-analyzer: what the pull request is told', () => {
  it('names the key the changed code reads and production lacks, the one-sided config, the stale key, the couple rule', async () => {
    const job = seedExample();
    const bot = botFor(appSettings(github));
    await bot.analyze(job);

    const [comment, ...others] = commentsOf(job);
    expect(others).toEqual([]);
    expect(comment?.login).toBe('driftwatch[bot]');
    const body = comment?.body ?? '';
    expect(body.startsWith(`${COMMENT_MARKER}\n`)).toBe(true);
    expect(body).toContain('- reads `HERO_TIMEOUT_MS` at `src/hero.ts:2`; missing in production');
    expect(body).toContain('- `HERO_TIMEOUT_MS`: added in staging (`config/staging.env:3`); not touched in production');
    expect(body).toContain('- `PAYMENTS_URL`: changed in staging (`config/staging.env:6`); not touched in production');
    expect(body).toContain(
      '- `OLD_FLAG`: this pull request removes its last read (`src/old.ts:1`); still set in staging (`config/staging.env:5`), production (`config/production.env:4`): remove it there',
    );
    expect(body).toContain(
      '- `payments-config`: src/payments/api.ts changed, but no key matching PAYMENTS\\_\\* changed in production',
    );
    expect(bot.metrics.outcomes()).toEqual(['reported']);
  });

  it('separates the findings it introduces and fixes from the backlog already on the base branch', async () => {
    const job = seedExample();
    await botFor(appSettings(github)).analyze(job);
    const body = commentsOf(job)[0]?.body ?? '';
    const introduced = body.slice(
      body.indexOf('### Findings this pull request introduces'),
      body.indexOf('### Findings this pull request fixes'),
    );
    expect(introduced).toContain('| warning | `parity` | `HERO_TIMEOUT_MS` | production |');
    // LOG_LEVEL was in production only; staging gains it.
    expect(body).toContain(
      '### Findings this pull request fixes (2)\n\n- `parity` `LOG_LEVEL` (staging)\n- `read-but-missing` `LOG_LEVEL` (staging)',
    );
    // The shared-secret finding is on both commits: one line, not a row.
    expect(body).toContain("1 finding already on the base branch (not this pull request's doing)");
    expect(body).not.toContain('same-session-secret');
  });

  it('fails the check run with annotations on the lines, and passes a pull request that needs nothing', async () => {
    const job = seedExample();
    await botFor(appSettings(github)).analyze(job);
    const [run] = github.checkRunsFor(job.headSha);
    expect(run?.status).toBe('completed');
    expect(run?.conclusion).toBe('failure');
    expect(run?.output?.title).toBe(
      '1 missing, 1 couple rule(s) unmet, 3 one-sided change(s), 1 stale, 1 new finding(s), 2 fixed',
    );
    expect(run?.annotations).toContainEqual({
      path: 'src/hero.ts',
      start_line: 2,
      end_line: 2,
      annotation_level: 'failure',
      title: 'HERO_TIMEOUT_MS is missing in production',
      message: 'The code reads HERO_TIMEOUT_MS here; production does not define it.',
    });
    expect(run?.annotations.map((annotation) => `${annotation.path}:${annotation.start_line}`)).toEqual(
      expect.arrayContaining(['config/staging.env:3', 'config/production.env:4', 'src/payments/api.ts:1']),
    );

    const quiet = { ...BASE, 'README.md': '# Hello World, again\n' };
    const next = pushHead(job, BASE, quiet);
    await botFor(appSettings(github)).analyze(next);
    const [passing] = github.checkRunsFor(next.headSha);
    expect(passing?.conclusion).toBe('success');
    expect(passing?.output?.title).toBe('No drift introduced');
  });

  it('is replayable: the same pull request gives the same comment and check output', async () => {
    const job = seedExample();
    const bot = botFor(appSettings(github));
    await bot.analyze(job);
    const first = commentsOf(job)[0]?.body;
    const firstRun = github.checkRunsFor(job.headSha)[0];
    await botFor(appSettings(github)).analyze({ ...job, deliveryId: 'redelivered' });
    expect(commentsOf(job).map((comment) => comment.body)).toEqual([first]);
    const runs = github.checkRunsFor(job.headSha);
    expect(runs.map((run) => run.output)).toEqual([firstRun?.output, firstRun?.output]);
    expect(runs.map((run) => run.annotations)).toEqual([firstRun?.annotations, firstRun?.annotations]);
  });
});

describe('github/pull-request-analyzer: superseded in the queue', () => {
  // GitHub's API can still show the old head after the push whose delivery superseded the job.
  it('a run the queue superseded before it reports starts no check run and writes no comment', async () => {
    const job = seedExample();
    const bot = botFor(appSettings(github));
    const controller = new AbortController();
    controller.abort('superseded');
    await bot.analyze(job, { signal: controller.signal });
    expect(github.checkRuns.size).toBe(0);
    expect(commentsOf(job)).toEqual([]);
    expect(bot.metrics.outcomes()).toEqual(['superseded']);
  });

  it('a run superseded while its check run is written finishes that check run and leaves the comment to the newer job', async () => {
    const job = seedExample();
    const bot = botFor(appSettings(github));
    const controller = new AbortController();
    // The check run's update is held until the test has seen the check run start and superseded the run.
    github.fail({ method: 'PATCH', path: /\/check-runs\/\d+$/, delayMs: 1_000, times: 1 });
    const analysing = bot.analyze(job, { signal: controller.signal });
    while (github.checkRuns.size === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort('superseded');
    await analysing;
    expect(github.checkRunsFor(job.headSha).map((run) => [run.status, run.conclusion])).toEqual([
      ['completed', 'failure'],
    ]);
    expect(commentsOf(job)).toEqual([]);
    expect(bot.metrics.outcomes()).toEqual(['superseded']);
  });

  it('an abort for another reason (shutdown) does not stop it: the queue hands the job back', async () => {
    const job = seedExample();
    const bot = botFor(appSettings(github));
    const controller = new AbortController();
    controller.abort('shutdown');
    await bot.analyze(job, { signal: controller.signal });
    expect(commentsOf(job)).toHaveLength(1);
    expect(bot.metrics.outcomes()).toEqual(['reported']);
  });
});

describe('github/pull-request-analyzer: trust', () => {
  it('never runs a command a pull request adds to driftwatch.yaml, and says its config changed', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-canary-'));
    const canary = path.join(dir, 'ran');
    try {
      const script = `require('fs').writeFileSync(${JSON.stringify(canary)}, 'ran')`;
      const evil = CONFIG.replace(
        'sources: [{path: config/production.env}]',
        `sources: [{path: config/production.env}, {command: [node, -e, ${JSON.stringify(script)}]}]`,
      );
      const head = { ...HEAD, 'driftwatch.yaml': evil };
      const job = seedExample(BASE, head);
      await botFor(appSettings(github)).analyze(job);
      expect(existsSync(canary)).toBe(false);
      const body = commentsOf(job)[0]?.body ?? '';
      expect(body).toContain("config of driftwatch changed; analysed with the base's (`driftwatch.yaml`)");
      // Analysed with the base's config: the head's command source is nowhere in the report.
      expect(body).not.toContain('command:');
      expect(github.checkRunsFor(job.headSha)[0]?.conclusion).toBe('failure');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('flags a pull request that edits a rule pack, and checks it with the base pack', async () => {
    const loosened = { ...HEAD, 'rules/app.yaml': 'rules:\n  - {id: parity, kind: parity, keys: [NOTHING_MATCHES]}\n' };
    const job = seedExample(BASE, loosened);
    await botFor(appSettings(github)).analyze(job);
    const body = commentsOf(job)[0]?.body ?? '';
    expect(body).toContain("config of driftwatch changed; analysed with the base's (`rules/app.yaml`)");
    // The base pack's couple rule still runs.
    expect(body).toContain('`payments-config`');
  });

  it("never runs the base's live sources either: without a stored snapshot they are reported as not checked", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-canary-'));
    const canary = path.join(dir, 'ran');
    try {
      const script = `require('fs').writeFileSync(${JSON.stringify(canary)}, 'ran')`;
      const live = CONFIG.replace(
        'sources: [{path: config/production.env}]',
        `sources: [{path: config/production.env}, {command: [node, -e, ${JSON.stringify(script)}]}]`,
      );
      const base = { ...BASE, 'driftwatch.yaml': live };
      const head = { ...BASE, 'driftwatch.yaml': live, 'README.md': 'docs\n' };
      const job = seedExample(base, head);
      await botFor(appSettings(github)).analyze(job);
      expect(existsSync(canary)).toBe(false);
      const [run] = github.checkRunsFor(job.headSha);
      expect(run?.conclusion).toBe('neutral');
      expect(run?.output?.title).toBe('No drift introduced (some sources not checked)');
      // Nothing to say about the pull request itself: no comment for a missing snapshot alone.
      expect(commentsOf(job)).toEqual([]);
      expect(run?.output?.summary).toContain('**Not checked**: production: `command: node -e');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reads a fork's head through the base repository, by SHA, and reports on the base repository", async () => {
    const payload = examplePayload('opened');
    const job = jobOf(payload);
    github.install(job.owner, job.repo, job.installationId as number);
    github.commit(job.owner, job.repo, BASE, { sha: job.baseSha });
    github.commit('contributor', 'Hello-World', HEAD, { sha: job.headSha });
    github.shareCommit(job.headSha, 'contributor/Hello-World', `${job.owner}/${job.repo}`);
    github.openPullRequest({
      owner: job.owner,
      repo: job.repo,
      number: job.number,
      headSha: job.headSha,
      baseSha: job.baseSha,
      headRepo: 'contributor/Hello-World',
      files: changesBetween(BASE, HEAD),
    });
    await botFor(appSettings(github)).analyze(job);
    expect(github.requests.some((request) => request.path.startsWith('/repos/contributor/'))).toBe(false);
    const [run] = github.checkRunsFor(job.headSha);
    expect(run?.repo).toBe(`${job.owner}/${job.repo}`);
    expect(run?.conclusion).toBe('failure');
    expect(commentsOf(job)[0]?.body).toContain('reads `HERO_TIMEOUT_MS`');
  });
});

describe('github/pull-request-analyzer: live sources from the store', () => {
  const postgresUrl = process.env.DRIFTWATCH_TEST_DATABASE_URL;
  const backends: { name: string; skip?: string; open(): Promise<{ store: Store; dispose(): Promise<void> }> }[] = [
    {
      name: 'sqlite',
      async open() {
        const configDir = mkdtempSync(path.join(tmpdir(), 'driftwatch-bot-store-'));
        const store = await openStore({ configDir });
        return {
          store,
          async dispose() {
            await store.close();
            rmSync(configDir, { recursive: true, force: true });
          },
        };
      },
    },
    {
      name: 'postgres',
      ...(postgresUrl ? {} : { skip: 'DRIFTWATCH_TEST_DATABASE_URL is unset' }),
      async open() {
        const admin = new pg.Client({ connectionString: postgresUrl });
        await admin.connect();
        const schema = `dw_test_${randomBytes(6).toString('hex')}`;
        await admin.query(`create schema ${schema}`);
        const store = await openStore({ configDir: tmpdir(), databaseUrl: postgresUrl as string, schema });
        return {
          store,
          async dispose() {
            await store.close();
            await admin.query(`drop schema ${schema} cascade`);
            await admin.end();
          },
        };
      },
    },
  ];

  for (const backend of backends) {
    it.skipIf(backend.skip !== undefined)(
      `takes a command source's keys from the latest stored snapshot (${backend.name})`,
      async () => {
        const live = CONFIG.replace(
          'sources: [{path: config/production.env}]',
          'sources: [{path: config/production.env}, {command: [kubectl, get, configmap, app, -o, yaml], format: k8s}]',
        );
        const base = { ...BASE, 'driftwatch.yaml': live };
        const head = { ...HEAD, 'driftwatch.yaml': live };
        const label = 'command: kubectl get configmap app -o yaml';
        const { store, dispose } = await backend.open();
        try {
          // The deployed configmap already has the timeout the code now reads.
          const stored = snapshotOf(
            'production',
            { HERO_TIMEOUT_MS: '3000', DATABASE_HOST: 'db.live.internal' },
            label,
          );
          await store.saveSnapshot({
            ...stored,
            takenAt: '2026-11-30T06:00:00.000Z',
            sources: [{ source: label, status: 'ok', documents: [label], keys: 2 }],
          });
          const job = seedExample(base, head);
          const bot = botFor(appSettings(github), { store });
          await bot.analyze(job);
          const body = commentsOf(job)[0]?.body ?? '';
          expect(body).not.toContain('reads `HERO_TIMEOUT_MS`');
          expect(body).toContain(
            'their keys come from the latest stored snapshots: production: `command: kubectl get configmap app -o yaml` (snapshot stored 2026-11-30 06:00 UTC).',
          );
          expect(body).not.toContain('Not checked');
          expect(body).toContain(
            '- `HERO_TIMEOUT_MS`: added in staging (`config/staging.env:3`); not touched in production',
          );
        } finally {
          await dispose();
        }
      },
    );
  }
});

describe('github/pull-request-analyzer: the sticky comment', () => {
  it('is edited in place across pushes, never duplicated, and ends as one "all fixed" line', async () => {
    const job = seedExample();
    const bot = botFor(appSettings(github));
    await bot.analyze(job);
    const [first] = commentsOf(job);
    // A second replica raced us to a second comment; a person quotes our marker.
    github.addComment(job.owner, job.repo, job.number, 'driftwatch[bot]', `${COMMENT_MARKER}\nan older copy`);
    const human = github.addComment(job.owner, job.repo, job.number, 'octocat', `> ${COMMENT_MARKER}\nwhy?`);

    const partFixed = { ...HEAD, 'config/production.env': `${BASE['config/production.env']}HERO_TIMEOUT_MS=5000\n` };
    const second = pushHead(job, BASE, partFixed);
    await bot.analyze(second);
    const afterSecond = commentsOf(job);
    expect(afterSecond.map((comment) => comment.id)).toEqual([first?.id, human.id]);
    expect(afterSecond[0]?.body).not.toContain('reads `HERO_TIMEOUT_MS`');
    expect(afterSecond[0]?.body).toContain('`OLD_FLAG`');

    // The same head again (a redelivery): the text is the same, so the comment is not edited.
    const patches = github.requests.filter(
      (request) => request.method === 'PATCH' && request.path.includes('/issues/comments/'),
    ).length;
    await bot.analyze({ ...second, deliveryId: 'again' });
    expect(
      github.requests.filter((request) => request.method === 'PATCH' && request.path.includes('/issues/comments/')),
    ).toHaveLength(patches);

    const allFixed = { ...BASE, 'README.md': 'docs only\n' };
    const third = pushHead(job, BASE, allFixed);
    await bot.analyze(third);
    const [last, kept] = commentsOf(job);
    expect(last?.id).toBe(first?.id);
    expect(last?.body).toBe(
      `${COMMENT_MARKER}\n✅ driftwatch: everything this pull request needed is in place now (as of \`${third.headSha.slice(0, 7)}\`).\n`,
    );
    expect(kept?.id).toBe(human.id);
    expect(bot.metrics.outcomes()).toEqual(['reported', 'reported', 'reported', 'reported']);
  });

  it('analyses a draft and checks it, but comments only once it is ready for review', async () => {
    const job = seedExample(BASE, HEAD, { draft: true });
    const bot = botFor(appSettings(github));
    await bot.analyze({ ...job, draft: true });
    expect(github.checkRunsFor(job.headSha)[0]?.conclusion).toBe('failure');
    expect(commentsOf(job)).toEqual([]);

    github.push(job.owner, job.repo, job.number, { draft: false });
    const ready = jobOf(examplePayload('ready_for_review'), { headSha: job.headSha, baseSha: job.baseSha });
    await bot.analyze(ready);
    expect(commentsOf(job)).toHaveLength(1);
  });

  it("does nothing for a head that is no longer the pull request's: the newer job reports", async () => {
    const job = seedExample();
    const newer = pushHead(job, BASE, HEAD);
    const bot = botFor(appSettings(github));
    await bot.analyze(job);
    expect(github.checkRuns.size).toBe(0);
    expect(commentsOf(job)).toEqual([]);
    expect(bot.metrics.outcomes()).toEqual(['superseded']);
    await bot.analyze(newer);
    expect(commentsOf(job)).toHaveLength(1);
  });

  it('leaves a repository without driftwatch.yaml alone, and a closed pull request too', async () => {
    const { 'driftwatch.yaml': _config, ...withoutConfig } = BASE;
    const job = seedExample(withoutConfig, { ...withoutConfig, 'README.md': 'x\n' });
    const bot = botFor(appSettings(github));
    await bot.analyze(job);
    github.push(job.owner, job.repo, job.number, { state: 'closed' });
    await bot.analyze(job);
    expect(github.checkRuns.size).toBe(0);
    expect(commentsOf(job)).toEqual([]);
    expect(bot.metrics.outcomes()).toEqual(['no-config', 'closed']);
  });
});

describe('github/pull-request-analyzer: size', () => {
  it('reads every page of a 100-file pull request and sends its annotations 50 per request', async () => {
    const head = wideHead(99);
    const job = seedExample(BASE, head);
    expect(changesBetween(BASE, head)).toHaveLength(100);
    await botFor(appSettings(github)).analyze(job);
    const body = commentsOf(job)[0]?.body ?? '';
    expect(body).toContain('### Config the code now reads (99)');
    expect(body).toContain('- reads `FEATURE_098_URL` at `src/features/feature-98.ts:1`; missing in production');
    const [run] = github.checkRunsFor(job.headSha);
    // A missing read, a one-sided change and a parity finding for each: 297 annotations.
    expect(run?.annotations).toHaveLength(297);
    expect(run?.annotationBatches).toEqual([50, 50, 50, 50, 50, 47]);
    expect(run?.annotationBatches.every((batch) => batch <= ANNOTATIONS_PER_REQUEST)).toBe(true);
    expect(run?.conclusion).toBe('failure');
  });

  it("keeps a comment over GitHub's size limit within it, by whole rows and sections", async () => {
    const reads: string[] = [];
    for (let index = 0; index < 3000; index++) {
      reads.push(
        `export const value${index} = process.env.A_RATHER_LONG_SETTING_NAME_THAT_NOBODY_CONFIGURED_${index}_ÜBER;`,
      );
    }
    const head = { ...BASE, 'src/many.ts': `${reads.join('\n')}\n` };
    const job = seedExample(BASE, head);
    await botFor(appSettings(github)).analyze(job);
    const [comment] = commentsOf(job);
    const body = comment?.body ?? '';
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_LENGTH);
    expect(body.startsWith(COMMENT_MARKER)).toBe(true);
    expect(body).toMatch(/### Config the code now reads \(\d+\)/);
    expect(body).toMatch(/_… and \d+ more keys, not listed: GitHub limits a comment's size._/);
    // Every table still has whole rows.
    for (const line of body.split('\n').filter((text) => text.startsWith('|'))) expect(line.endsWith('|')).toBe(true);
    expect(body).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});

describe('github/pull-request-analyzer: when GitHub fails', () => {
  it('retries a 502 and carries on', async () => {
    const job = seedExample();
    github.fail({ method: 'GET', path: /\/pulls\/\d+\/files$/, status: 502, times: 1 });
    const bot = botFor(appSettings(github));
    await bot.analyze(job);
    const files = github.requests.filter((request) => request.path.endsWith('/pulls/2/files'));
    expect(files.map((request) => request.status)).toEqual([502, 200]);
    expect(commentsOf(job)).toHaveLength(1);
    expect(bot.metrics.outcomes()).toEqual(['reported']);
    expect(bot.metrics.apiErrors).toEqual([
      { method: 'GET', route: '/repos/{owner}/{repo}/pulls/{id}/files', status: 502 },
    ]);
  });

  it('waits out a secondary rate limit (403 with retry-after) and a timed-out request', async () => {
    const job = seedExample();
    github.fail({
      method: 'POST',
      path: /\/issues\/\d+\/comments$/,
      status: 403,
      times: 1,
      headers: { 'retry-after': '1' },
      message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
    });
    github.fail({ method: 'GET', path: /\/git\/trees\//, delayMs: 1_500, times: 1 });
    const bot = botFor(appSettings(github), {
      github: {
        retries: 2,
        retryBaseMs: 1,
        rateLimitUnitMs: 1,
        writeSpacingMs: 0,
        notificationSpacingMs: 0,
        requestTimeoutMs: 500,
      },
    });
    await bot.analyze(job);
    expect(commentsOf(job)).toHaveLength(1);
    expect(
      github.requests
        .filter((request) => request.path.endsWith('/issues/2/comments') && request.method === 'POST')
        .map((request) => request.status),
    ).toEqual([403, 201]);
    expect(bot.metrics.apiErrors.map((error) => error.status).sort()).toEqual([403, 500]);
  });

  it('marks the check run failed with the reason when GitHub keeps answering 500, and asks for a retry', async () => {
    const job = seedExample();
    github.fail({ method: 'GET', path: /\/git\/blobs\//, status: 500 });
    const bot = botFor(appSettings(github));
    await expect(bot.analyze(job)).rejects.toMatchObject({ status: 500 });
    const [run] = github.checkRunsFor(job.headSha);
    expect(run?.conclusion).toBe('failure');
    expect(run?.output?.title).toBe('driftwatch could not analyse this pull request');
    expect(run?.output?.summary).toMatch(
      /^The analysis failed: GitHub answered 500 to GET \/repos\/Codertocat\/Hello-World\/git\/blobs\/[0-9a-f]{40}\./,
    );
    expect(commentsOf(job)).toEqual([]);
    expect(bot.metrics.outcomes()).toEqual(['failed']);
    const logged = bot.logger.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logged).toContainEqual(
      expect.objectContaining({ level: 'error', msg: 'pull request analysis failed', retry: true, status: 500 }),
    );
    // Three attempts (two retries) per blob, each counted.
    expect(bot.metrics.apiErrors.length).toBeGreaterThanOrEqual(3);

    // GitHub is back: the retried job reports on a new check run.
    github.clearFaults();
    await bot.analyze(job);
    expect(github.checkRunsFor(job.headSha).map((each) => each.conclusion)).toEqual(['failure', 'failure']);
    expect(github.checkRunsFor(job.headSha)[1]?.output?.title).toContain('1 missing');
  });

  it('does not ask for a retry that cannot help (the pull request is gone)', async () => {
    const job = seedExample();
    const bot = botFor(appSettings(github));
    await bot.analyze({ ...job, number: 99 });
    expect(bot.metrics.outcomes()).toEqual(['failed']);
    expect(
      bot.logger.lines.some((line) =>
        line.includes('"reason":"GitHub answered 404 to GET /repos/Codertocat/Hello-World/pulls/99"'),
      ),
    ).toBe(true);
  });
});

describe('github/pull-request-analyzer: with a plain token', () => {
  it("reports a commit status instead of a check run, and comments as the token's user", async () => {
    const job = seedExample();
    const token = github.userToken('ci-bot');
    const bot = botFor(tokenSettings(github, token));
    await bot.analyze({ ...job, installationId: undefined });
    expect(github.checkRuns.size).toBe(0);
    expect(github.statuses.map(({ state, context, description }) => ({ state, context, description }))).toEqual([
      { state: 'pending', context: 'driftwatch', description: 'Checking the configuration this pull request needs' },
      {
        state: 'failure',
        context: 'driftwatch',
        description: '1 missing, 1 couple rule(s) unmet, 3 one-sided change(s), 1 stale, 1 new finding(s), 2 fixed',
      },
    ]);
    expect(commentsOf(job).map((comment) => comment.login)).toEqual(['ci-bot']);
  });
});

describe('github/pull-request-analyzer: secrets', () => {
  it('never writes a planted secret to a comment, an annotation, a status, a log line or a metric', async () => {
    // The secret changes in production only: a one-sided change about a secret, and a finding with values.
    const head = {
      ...HEAD,
      'config/production.env': (HEAD['config/production.env'] as string).replace(
        CANARY_SECRET,
        `${CANARY_SECRET}-rotated`,
      ),
      // And a new token in staging only: an introduced parity finding that shows what staging holds.
      'config/staging.env': `${HEAD['config/staging.env']}API_TOKEN=${CANARY_SECRET}\n`,
    };
    const job = seedExample(BASE, head);
    const bot = botFor(appSettings(github));
    await bot.analyze(job);
    const token = github.userToken('ci-bot');
    const tokenBot = botFor(tokenSettings(github, token));
    await tokenBot.analyze({ ...job, installationId: undefined });

    const written = everythingWritten();
    expect(commentsOf(job)[0]?.body).toContain(
      '- `SESSION_SECRET`: changed in production (`config/production.env:6`); not touched in staging',
    );
    expect(written).toContain('fp:');
    expect(written).not.toContain(CANARY_SECRET);
    expect(written).not.toContain('staging-session-secret-value');
    for (const recorder of [bot, tokenBot]) {
      expect(recorder.logger.text()).not.toContain(CANARY_SECRET);
      expect(JSON.stringify(recorder.metrics)).not.toContain(CANARY_SECRET);
      expect(recorder.logger.text()).not.toContain(token);
    }
  });

  it('escapes keys and messages: no markup, no HTML, no mention', async () => {
    const pack = `${PACK}  - {id: forbidden, kind: forbid, keys: [EVIL_KEY], message: "<img src=x onerror=alert(1)> ping @security-team **now** [x](https://evil.example)"}\n`;
    const head = { ...HEAD, 'config/staging.env': `${HEAD['config/staging.env']}EVIL_KEY=1\n` };
    const base = { ...BASE, 'rules/app.yaml': pack };
    const job = seedExample(base, { ...head, 'rules/app.yaml': pack });
    await botFor(appSettings(github)).analyze(job);
    const body = commentsOf(job)[0]?.body ?? '';
    expect(body).toContain(
      '&lt;img src=x onerror=alert(1)&gt; ping @\u200bsecurity-team \\*\\*now\\*\\* \\[x\\](https://evil.example)',
    );
    expect(body).not.toContain('<img');
    expect(body).not.toMatch(/@security-team/);
  });
});
