import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGithubClient } from '../../src/github/client.js';
import { silentLogger } from '../../src/github/observability.js';
import { GithubStandIn } from '../helpers/github-stand-in.js';
import { appSettings, FAST_GITHUB } from './harness.js';

/** The stand-in behaves like GitHub where the bot relies on it; these pin that down with plain HTTP. */
let github: GithubStandIn;
let token: string;

beforeAll(async () => {
  github = await new GithubStandIn().start();
  token = github.userToken('someone');
  const sha = github.commit('acme', 'api', {});
  const files = Array.from({ length: 75 }, (_, index) => ({ filename: `f${index}`, status: 'added' as const }));
  github.openPullRequest({ owner: 'acme', repo: 'api', number: 7, headSha: sha, baseSha: sha, files });
});

afterAll(async () => {
  await github.stop();
});

async function call(method: string, path: string, body?: unknown, credential = `token ${token}`) {
  const response = await fetch(`${github.url}${path}`, {
    method,
    headers: { authorization: credential, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    link: response.headers.get('link'),
    body: text === '' ? undefined : JSON.parse(text),
  };
}

describe('test/helpers/github-stand-in', () => {
  it('pages lists 30 at a time by default, honours per_page, and links the next and last pages', async () => {
    const first = await call('GET', '/repos/acme/api/pulls/7/files');
    expect(first.body).toHaveLength(30);
    expect(first.link).toContain('page=2&per_page=30>; rel="next"');
    expect(first.link).toContain('page=3&per_page=30>; rel="last"');
    const wide = await call('GET', '/repos/acme/api/pulls/7/files?per_page=50&page=2');
    expect(wide.body.map((file: { filename: string }) => file.filename)).toEqual(
      Array.from({ length: 25 }, (_, index) => `f${50 + index}`),
    );
    expect(wide.link).not.toContain('rel="next"');
  });

  it('refuses a comment over 65,536 characters, as GitHub does', async () => {
    const tooLong = await call('POST', '/repos/acme/api/issues/7/comments', { body: 'x'.repeat(65_537) });
    expect(tooLong.status).toBe(422);
    const fits = await call('POST', '/repos/acme/api/issues/7/comments', { body: '€'.repeat(65_536) });
    expect(fits.status).toBe(201);
  });

  it('refuses more than 50 annotations in one check-run request, and check runs without an App', async () => {
    expect((await call('POST', '/repos/acme/api/check-runs', { name: 'x', head_sha: '0'.repeat(40) })).status).toBe(
      403,
    );
    github.install('acme', 'api', 9);
    const app = createGithubClient({
      settings: appSettings(github),
      installationId: 9,
      logger: silentLogger,
      ...FAST_GITHUB,
    });
    const { data: run } = await app.rest.checks.create({
      owner: 'acme',
      repo: 'api',
      name: 'x',
      head_sha: '1'.repeat(40),
    });
    const annotations = (count: number) =>
      Array.from({ length: count }, (_, index) => ({
        path: 'a.yaml',
        start_line: index + 1,
        end_line: index + 1,
        annotation_level: 'warning' as const,
        message: 'm',
      }));
    const update = (count: number) =>
      app.rest.checks.update({
        owner: 'acme',
        repo: 'api',
        check_run_id: run.id,
        output: { title: 't', summary: 's', annotations: annotations(count) },
      });
    await expect(update(51)).rejects.toMatchObject({ status: 422 });
    await update(50);
    await update(50);
    expect(github.checkRuns.get(run.id)?.annotationBatches).toEqual([50, 50]);
  });

  it('gives installation tokens only to a valid App JWT, scoped to the installation', async () => {
    expect((await call('POST', '/app/installations/1/access_tokens', {}, 'Bearer not.a.jwt')).status).toBe(401);
    expect((await call('GET', '/repos/acme/api/pulls/7', undefined, 'token wrong')).status).toBe(401);
  });
});
