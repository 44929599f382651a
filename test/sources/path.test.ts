import { mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceError } from '../../src/errors.js';
import { diskFileTree, memoryFileTree } from '../../src/sources/file-tree.js';
import { PathSourceSpec, pathSource } from '../../src/sources/path.js';
import { asText } from './as-text.js';

let configDir: string;

beforeAll(async () => {
  configDir = await mkdtemp(path.join(os.tmpdir(), 'driftwatch-path-'));
  // Written out of order, so sorted output is the source's doing, not the file system's.
  const files: Record<string, string> = {
    'config/web.yaml': 'web: true\n',
    'config/app.yaml': 'app: true\n',
    'config/.hidden.yaml': 'hidden: true\n',
    'config/db.yaml': 'db: true\n',
    'config/notes.txt': 'not yaml\n',
    'deploy/production.env': 'TZ=UTC\n',
  };
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(configDir, file)), { recursive: true });
    await writeFile(path.join(configDir, file), text);
  }
});

afterAll(async () => {
  await rm(configDir, { recursive: true, force: true });
});

async function read(raw: unknown) {
  return asText(
    await pathSource.read(PathSourceSpec.parse(raw), { configDir, env: {}, files: diskFileTree(configDir) }),
  );
}

async function sourceErrorOf(promise: Promise<unknown>): Promise<SourceError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(SourceError);
  return error as SourceError;
}

describe('sources/path', () => {
  it('reads one file, named relative to the config file', async () => {
    expect(await read({ path: 'deploy/production.env' })).toEqual([
      { origin: 'deploy/production.env', text: 'TZ=UTC\n' },
    ]);
  });

  it('reads the files of a glob in sorted order, dotfiles included', async () => {
    const documents = await read({ path: 'config/*.yaml' });
    expect(documents.map((document) => document.origin)).toEqual([
      'config/.hidden.yaml',
      'config/app.yaml',
      'config/db.yaml',
      'config/web.yaml',
    ]);
    expect(documents[1]).toEqual({ origin: 'config/app.yaml', text: 'app: true\n' });
  });

  it('reads a list of paths in the order written, each glob sorted within it', async () => {
    const documents = await read({ path: ['deploy/production.env', 'config/{web,app}.yaml'] });
    expect(documents.map((document) => document.origin)).toEqual([
      'deploy/production.env',
      'config/app.yaml',
      'config/web.yaml',
    ]);
  });

  it('fails when a glob matches nothing', async () => {
    const error = await sourceErrorOf(read({ path: 'config/*.toml' }));
    expect(error.problems).toEqual([{ source: 'config/*.toml', message: "the glob 'config/*.toml' matched no files" }]);
  });

  it('fails when a glob in a list matches nothing, even if the others do', async () => {
    const error = await sourceErrorOf(read({ path: ['config/*.yaml', 'secrets/*.yaml'] }));
    expect(error.problems[0]?.message).toBe("the glob 'secrets/*.yaml' matched no files");
  });

  it('fails on a missing file, naming it', async () => {
    const error = await sourceErrorOf(read({ path: 'deploy/staging.env' }));
    expect(error.problems).toEqual([
      { source: 'deploy/staging.env', file: 'deploy/staging.env', message: 'file not found' },
    ]);
  });

  it('fails on a directory', async () => {
    const error = await sourceErrorOf(read({ path: 'config' }));
    expect(error.problems[0]?.message).toBe('is a directory, not a file');
  });

  it('refuses a file larger than maxBytes (10MiB by default) without reading it', async () => {
    const big = path.join(configDir, 'big.yaml');
    // A sparse file: 11 MiB that costs nothing to write, and would cost minutes and gigabytes to parse.
    const handle = await open(big, 'w');
    await handle.truncate(11 * 1024 ** 2);
    await handle.close();
    const error = await sourceErrorOf(read({ path: 'big.yaml' }));
    expect(error.problems).toEqual([
      {
        source: 'big.yaml',
        file: 'big.yaml',
        message:
          'the file is 11.5 MB, larger than 10MiB (maxBytes); raise maxBytes on the source if it really is configuration',
      },
    ]);
    expect((await sourceErrorOf(read({ path: 'config/app.yaml', maxBytes: '5B' }))).problems[0]?.message).toMatch(
      /^the file is 10 bytes, larger than 5B \(maxBytes\)/,
    );
    expect(await read({ path: 'config/app.yaml', maxBytes: '10B' })).toEqual([
      { origin: 'config/app.yaml', text: 'app: true\n' },
    ]);
  });

  it('applies maxBytes to in-memory trees too', async () => {
    const files = memoryFileTree(new Map([['app.yaml', 'a: 1234567890\n']]));
    await expect(files.readFile('app.yaml', { maxBytes: 4 })).rejects.toThrow(SourceError);
    expect((await files.readFile('app.yaml', { maxBytes: 100 })).toString()).toBe('a: 1234567890\n');
  });

  it('describes itself by its patterns', () => {
    expect(pathSource.describe(PathSourceSpec.parse({ path: ['a.env', 'config/*.yaml'] }))).toBe(
      'a.env, config/*.yaml',
    );
  });

  it('rejects unknown fields and empty lists', () => {
    expect(PathSourceSpec.safeParse({ path: 'a.yaml', formt: 'yaml' }).success).toBe(false);
    expect(PathSourceSpec.safeParse({ path: [] }).success).toBe(false);
    expect(PathSourceSpec.safeParse({ path: 'a.yaml', format: 'yaml', prefix: 'app' }).success).toBe(true);
    expect(PathSourceSpec.safeParse({ path: 'a.yaml', maxBytes: '10B' }).success).toBe(true);
    expect(PathSourceSpec.safeParse({ path: 'a.yaml', encoding: 'cp1252' }).success).toBe(false);
  });
});
