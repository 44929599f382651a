import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGithubClient } from '../../src/github/client.js';
import { type BlobCache, openCommitTree } from '../../src/github/commit-tree.js';
import { githubReader, MAX_LISTED_FILES } from '../../src/github/github-platform.js';
import { silentLogger } from '../../src/github/observability.js';
import type { PlatformReader } from '../../src/github/platform.js';
import { GithubStandIn } from '../helpers/github-stand-in.js';
import { FAST_GITHUB, tokenSettings } from './harness.js';

let github: GithubStandIn;
let reader: PlatformReader;

beforeAll(async () => {
  github = await new GithubStandIn().start();
  const client = createGithubClient({
    settings: tokenSettings(github, github.userToken('reader')),
    logger: silentLogger,
    ...FAST_GITHUB,
  });
  reader = githubReader(client, { owner: 'acme', repo: 'api', number: 1 });
});

afterAll(async () => {
  await github.stop();
});

function blobRequests(): number {
  return github.requests.filter((request) => request.path.includes('/git/blobs/')).length;
}

describe('github/commit-tree', () => {
  it('lists a commit once and fetches each blob on first read, once for base and head alike', async () => {
    const base = github.commit('acme', 'api', { 'driftwatch.yaml': 'version: 1\n', 'config/app.yaml': 'a: 1\n' });
    const head = github.commit('acme', 'api', { 'driftwatch.yaml': 'version: 1\n', 'config/app.yaml': 'a: 2\n' });
    const blobs: BlobCache = new Map();
    const before = blobRequests();
    const baseTree = await openCommitTree(reader, base, { blobs });
    const headTree = await openCommitTree(reader, head, { blobs });
    expect(headTree.files()).toEqual(['config/app.yaml', 'driftwatch.yaml']);
    expect((await baseTree.readFile('driftwatch.yaml')).toString()).toBe('version: 1\n');
    expect((await headTree.readFile('./driftwatch.yaml')).toString()).toBe('version: 1\n');
    expect((await headTree.readFile('config/app.yaml')).toString()).toBe('a: 2\n');
    expect((await headTree.readFile('config/app.yaml')).toString()).toBe('a: 2\n');
    // driftwatch.yaml is one blob in both commits; config/app.yaml is read twice from one fetch.
    expect(blobRequests() - before).toBe(2);
    expect(await headTree.glob('config/*.yaml')).toEqual(['config/app.yaml']);
  });

  it('refuses paths outside the repository, symbolic links and submodules', async () => {
    const sha = github.commit('acme', 'api', {
      'driftwatch.yaml': 'version: 1\n',
      'config/link.yaml': { content: '/etc/passwd', mode: '120000' },
    });
    const tree = await openCommitTree(reader, sha);
    await expect(tree.readFile('../../etc/passwd')).rejects.toThrow(
      '../../etc/passwd: outside the repository: not read',
    );
    await expect(tree.readFile('/etc/passwd')).rejects.toThrow('outside the repository');
    await expect(tree.readFile('config/link.yaml')).rejects.toThrow(
      'is a symbolic link; links are not followed in a pull request',
    );
    await expect(tree.readFile('config')).rejects.toThrow('is a directory, not a file');
    await expect(tree.readFile('missing.yaml')).rejects.toThrow('missing.yaml: file not found');
    expect(tree.files()).toEqual(['driftwatch.yaml']);
    expect(await tree.glob('../**')).toEqual([]);
  });

  it('roots the tree at the config directory of a monorepo, reading siblings inside the repository', async () => {
    const sha = github.commit('acme', 'api', {
      'services/api/driftwatch.yaml': 'version: 1\n',
      'services/api/config/app.env': 'A=1\n',
      'services/shared/common.env': 'B=2\n',
      'README.md': '#\n',
    });
    const tree = await openCommitTree(reader, sha, { root: 'services/api' });
    expect(tree.files()).toEqual(['config/app.env', 'driftwatch.yaml']);
    expect((await tree.readFile('../shared/common.env')).toString()).toBe('B=2\n');
    expect(await tree.glob('../shared/*.env')).toEqual(['../shared/common.env']);
    expect(tree.repositoryPath('config/app.env')).toBe('services/api/config/app.env');
    await expect(tree.readFile('../../../outside')).rejects.toThrow('outside the repository');
  });

  it('fails closed on a listing GitHub cut short', async () => {
    const sha = github.commit('acme', 'api', { 'driftwatch.yaml': 'version: 1\n' }, { truncated: true });
    await expect(openCommitTree(reader, sha)).rejects.toThrow(/GitHub cut the listing of commit [0-9a-f]{7} short/);
  });
});

describe('github/github-platform: reading a pull request', () => {
  it('reads every page of its files, whatever the page size', async () => {
    const files = Array.from({ length: 250 }, (_, index) => ({
      filename: `src/file-${index}.ts`,
      status: 'added' as const,
    }));
    const sha = github.commit('acme', 'api', {});
    github.openPullRequest({ owner: 'acme', repo: 'api', number: 1, headSha: sha, baseSha: sha, files });
    const listed = await reader.changedFiles();
    expect(listed.files).toHaveLength(250);
    expect(listed.files[249]).toEqual({ path: 'src/file-249.ts', status: 'added' });
    expect(listed.truncated).toBe(false);
    expect(MAX_LISTED_FILES).toBe(3000);
    const pages = github.requests.filter((request) => request.path.endsWith('/pulls/1/files'));
    expect(pages).toHaveLength(3);
  });
});
