import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParseError, SourceError } from '../../src/errors.js';
import { decodeText } from '../../src/sources/decode-text.js';
import { diskFileTree } from '../../src/sources/file-tree.js';
import { GitSourceSpec, gitSource } from '../../src/sources/git.js';
import { asText } from './as-text.js';

const execFileAsync = promisify(execFile);

let root: string;
/** A repository whose driftwatch.yaml would live in `deploy/`. */
let repo: string;
let notARepo: string;

/** The real git, configured by flags so no global or CI configuration matters. */
async function git(cwd: string, ...args: string[]): Promise<void> {
  await execFileAsync(
    'git',
    ['-c', 'user.name=driftwatch', '-c', 'user.email=driftwatch@example.com', '-c', 'commit.gpgsign=false', ...args],
    { cwd },
  );
}

async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'driftwatch-git-'));
  repo = path.join(root, 'repo');
  notARepo = path.join(root, 'plain');
  await mkdir(repo);
  await mkdir(notARepo);

  await git(repo, 'init', '--quiet', '--initial-branch=main');
  await writeFiles(repo, {
    'config/app.yaml': 'version: 1\n',
    'config/db.yaml': 'host: db.staging\n',
    'config/odd name ü.yaml': 'odd: true\n',
    'config/nested/deep.yaml': 'deep: true\n',
    'deploy/staging.env': 'TZ=UTC\n',
  });
  await git(repo, 'add', '.');
  await git(repo, 'commit', '--quiet', '-m', 'first');
  await git(repo, 'tag', 'v1');
  await git(repo, 'tag', '-a', 'v1-annotated', '-m', 'annotated');

  await git(repo, 'checkout', '--quiet', '-b', 'production');
  await writeFiles(repo, { 'config/app.yaml': 'version: 2\n', 'config/extra.yaml': 'extra: true\n' });
  // As PowerShell's `>` writes it.
  await writeFile(path.join(repo, 'config/utf16.json'), Buffer.from('\ufeff{"a": 1}\n', 'utf16le'));
  await git(repo, 'add', '.');
  await git(repo, 'commit', '--quiet', '-m', 'production');
  await git(repo, 'checkout', '--quiet', 'main');

  // Uncommitted: a source reading the working tree instead of the ref would see this.
  await writeFiles(repo, { 'config/app.yaml': 'version: working-tree\n' });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function read(
  raw: Record<string, unknown>,
  configDir = repo,
  env: Record<string, string | undefined> = process.env,
) {
  return asText(await gitSource.read(GitSourceSpec.parse(raw), { configDir, env, files: diskFileTree(configDir) }));
}

async function sourceErrorOf(promise: Promise<unknown>): Promise<SourceError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(SourceError);
  return error as SourceError;
}

describe('sources/git', () => {
  it('reads a file as committed on a branch, named by its path (the ref is in the label)', async () => {
    expect(await read({ git: 'production', path: 'config/app.yaml' })).toEqual([
      { origin: 'config/app.yaml', text: 'version: 2\n' },
    ]);
  });

  it('reads a file at a tag, lightweight or annotated', async () => {
    expect(await read({ git: 'v1', path: 'config/app.yaml' })).toEqual([
      { origin: 'config/app.yaml', text: 'version: 1\n' },
    ]);
    expect(await read({ git: 'v1-annotated', path: './config/app.yaml' })).toEqual([
      { origin: 'config/app.yaml', text: 'version: 1\n' },
    ]);
  });

  it('reads the files a glob matches at the ref, sorted', async () => {
    const production = await read({ git: 'production', path: 'config/*.yaml' });
    expect(production.map((document) => document.origin)).toEqual([
      'config/app.yaml',
      'config/db.yaml',
      'config/extra.yaml',
      'config/odd name ü.yaml',
    ]);
    const main = await read({ git: 'main', path: 'config/**/*.yaml' });
    expect(main.map((document) => document.origin)).toEqual([
      'config/app.yaml',
      'config/db.yaml',
      'config/nested/deep.yaml',
      'config/odd name ü.yaml',
    ]);
    expect(main[0]).toEqual({ origin: 'config/app.yaml', text: 'version: 1\n' });
  });

  it('resolves paths against the config directory when it is a subfolder of the repository', async () => {
    const configDir = path.join(repo, 'deploy');
    // Origins are relative to the config's folder, like those of a `path` source.
    expect(await read({ git: 'main', path: 'staging.env' }, configDir)).toEqual([
      { origin: 'staging.env', text: 'TZ=UTC\n' },
    ]);
    expect(await read({ git: 'production', path: '../config/app.yaml' }, configDir)).toEqual([
      { origin: '../config/app.yaml', text: 'version: 2\n' },
    ]);
    const globbed = await read({ git: 'main', path: '../config/d*.yaml' }, configDir);
    expect(globbed.map((document) => document.origin)).toEqual(['../config/db.yaml']);
  });

  it('reads from `repo`, relative to the config directory, with paths relative to it', async () => {
    expect(await read({ git: 'production', path: 'config/extra.yaml', repo: 'repo' }, root)).toEqual([
      { origin: 'repo/config/extra.yaml', text: 'extra: true\n' },
    ]);
  });

  it('ignores GIT_DIR from the environment (set inside git hooks)', async () => {
    const env = { ...process.env, GIT_DIR: path.join(notARepo, '.git') };
    expect(await read({ git: 'v1', path: 'config/db.yaml' }, repo, env)).toEqual([
      { origin: 'config/db.yaml', text: 'host: db.staging\n' },
    ]);
  });

  it('fails on a ref that does not exist, quoting git', async () => {
    const error = await sourceErrorOf(read({ git: 'origin/prod', path: 'config/app.yaml' }));
    expect(error.problems).toEqual([
      {
        source: 'git:origin/prod:config/app.yaml',
        message: "ref 'origin/prod' not found in '.' (git: fatal: Needed a single revision)",
      },
    ]);
  });

  it('fails on a file missing at the ref, even if it exists at another', async () => {
    const error = await sourceErrorOf(read({ git: 'main', path: 'config/extra.yaml' }));
    expect(error.problems).toEqual([
      {
        source: 'git:main:config/extra.yaml',
        file: 'config/extra.yaml',
        message:
          "file 'config/extra.yaml' not found at 'main' (git: fatal: path 'config/extra.yaml' does not exist in 'main')",
      },
    ]);
  });

  it('hands over a file committed as UTF-16 as it is, for the snapshot to name rather than fail to parse', async () => {
    const [document] = await gitSource.read(GitSourceSpec.parse({ git: 'production', path: 'config/utf16.json' }), {
      configDir: repo,
      env: process.env,
      files: diskFileTree(repo),
    });
    const bytes = document && 'bytes' in document ? document.bytes : new Uint8Array();
    const error = (() => {
      try {
        return decodeText(bytes, 'config/utf16.json');
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).problems).toEqual([
      {
        file: 'config/utf16.json',
        line: 1,
        column: 1,
        message: 'the file is UTF-16 (little-endian, it starts with a byte order mark); save it as UTF-8',
      },
    ]);
  });

  it('fails on a directory', async () => {
    const error = await sourceErrorOf(read({ git: 'main', path: 'config/nested' }));
    expect(error.problems[0]?.message).toBe("'config/nested' is a tree at 'main', not a file");
  });

  it('fails when a glob matches nothing at the ref', async () => {
    const error = await sourceErrorOf(read({ git: 'main', path: 'config/*.toml' }));
    expect(error.problems).toEqual([
      { source: 'git:main:config/*.toml', message: "the glob 'config/*.toml' matched no files at 'main'" },
    ]);
  });

  it('fails outside a git repository', async () => {
    const error = await sourceErrorOf(read({ git: 'main', path: 'app.yaml' }, notARepo));
    expect(error.problems[0]?.message).toMatch(/^not a git repository: '\.' \(git: fatal: not a git repository/);
  });

  it('fails on a path that climbs out of the repository', async () => {
    const error = await sourceErrorOf(read({ git: 'main', path: '../../etc/passwd' }));
    expect(error.problems[0]?.message).toBe("'../../etc/passwd' is outside the repository");
  });

  it('rejects refs that git would take for options, and absolute paths', () => {
    const messages = (raw: unknown) => GitSourceSpec.safeParse(raw).error?.issues.map((issue) => issue.message);
    expect(messages({ git: '--output=/tmp/x', path: 'a.yaml' })).toEqual(["a git ref cannot start with '-'"]);
    expect(messages({ git: 'main', path: '/etc/passwd' })).toEqual([
      'path is relative to the repository directory (by default, the directory of driftwatch.yaml)',
    ]);
    expect(GitSourceSpec.safeParse({ git: 'main', path: 'a.yaml', ref: 'x' }).success).toBe(false);
  });

  it('describes itself in git syntax', () => {
    expect(gitSource.describe(GitSourceSpec.parse({ git: 'origin/main', path: 'app.yaml' }))).toBe(
      'git:origin/main:app.yaml',
    );
    expect(gitSource.describe(GitSourceSpec.parse({ git: 'v2', path: 'app.yaml', repo: '../infra' }))).toBe(
      'git:v2:app.yaml (repo ../infra)',
    );
  });
});
