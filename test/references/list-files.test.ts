import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SourceError } from '../../src/errors.js';
import { DEFAULT_EXCLUDES } from '../../src/references/config.js';
import { listFiles } from '../../src/references/list-files.js';

const made: string[] = [];
afterEach(() => {
  for (const directory of made.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'driftwatch-refs-'));
  made.push(root);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'init.defaultBranch=main', ...args], { cwd, stdio: 'ignore' });
}

const everything = { include: ['**/*'], exclude: [...DEFAULT_EXCLUDES] };

describe('references/list-files', () => {
  it('lists the files git knows in a work tree, new ones included: not ignored or deleted ones', async () => {
    const root = tree({
      '.gitignore': 'ignored.js\nbuild/\n',
      'src/app.ts': 'process.env.A',
      'src/gone.ts': '',
      'src/z-last.ts': '',
      'src/new.ts': 'untracked',
      'ignored.js': '',
      'build/out.js': '',
      'node_modules/dep/index.js': 'tracked by mistake',
      'services/api/main.go': '',
    });
    git(root, 'init', '-q');
    git(root, 'add', '.gitignore', 'src/app.ts', 'src/gone.ts', 'src/z-last.ts', 'services');
    git(root, 'add', '-f', 'node_modules/dep/index.js');
    rmSync(path.join(root, 'src/gone.ts'));

    expect((await listFiles({ configDir: root, ...everything })).files).toEqual([
      '.gitignore',
      'services/api/main.go',
      'src/app.ts',
      'src/new.ts',
      'src/z-last.ts',
    ]);
    expect((await listFiles({ configDir: root, include: ['**/*'], exclude: [] })).files).toContain(
      'node_modules/dep/index.js',
    );
    // From a subdirectory, paths are relative to it.
    expect((await listFiles({ configDir: path.join(root, 'services'), ...everything })).files).toEqual(['api/main.go']);
    // Forcing the walk sees the same files, and honours .gitignore too.
    expect((await listFiles({ configDir: root, ...everything, strategy: 'walk' })).files).toEqual([
      '.gitignore',
      'services/api/main.go',
      'src/app.ts',
      'src/new.ts',
      'src/z-last.ts',
    ]);
  });

  it('walks a tree outside git, honouring nested .gitignore files and their negations', async () => {
    const root = tree({
      '.gitignore': '*.log\nsecret/\n',
      'a.log': '',
      'app.py': '',
      'pkg/.gitignore': 'generated.ts\n!keep.log\n',
      'pkg/generated.ts': '',
      'pkg/keep.log': '',
      'pkg/src.ts': '',
      'pkg/deep/generated.ts': '',
      'secret/x.ts': '',
      '.github/workflows/ci.yml': '',
      'node_modules/m/index.js': '',
      'vendor/lib.rb': '',
    });
    symlinkSync(path.join(root, 'app.py'), path.join(root, 'link.py'));
    const listing = await listFiles({ configDir: root, ...everything });
    expect(listing).toEqual({
      files: ['.github/workflows/ci.yml', '.gitignore', 'app.py', 'pkg/.gitignore', 'pkg/keep.log', 'pkg/src.ts'],
      unreadable: [],
    });
    expect((await listFiles({ configDir: root, ...everything, gitignore: false })).files).toEqual([
      '.github/workflows/ci.yml',
      '.gitignore',
      'a.log',
      'app.py',
      'pkg/.gitignore',
      'pkg/deep/generated.ts',
      'pkg/generated.ts',
      'pkg/keep.log',
      'pkg/src.ts',
      'secret/x.ts',
    ]);
  });

  it('applies include and exclude globs relative to the config directory', async () => {
    const root = tree({
      'src/a.ts': '',
      'src/a.test.ts': '',
      'src/nested/b.js': '',
      'scripts/deploy.sh': '',
      'docs/readme.md': '',
    });
    const listing = await listFiles({
      configDir: root,
      include: ['src/**', 'scripts/*.sh'],
      exclude: ['**/*.test.ts'],
    });
    expect(listing.files).toEqual(['scripts/deploy.sh', 'src/a.ts', 'src/nested/b.js']);
  });

  it("fails with strategy 'git' outside a work tree, and on a missing directory", async () => {
    const root = tree({ 'a.ts': '' });
    await expect(listFiles({ configDir: root, ...everything, strategy: 'git' })).rejects.toThrow(SourceError);
    await expect(listFiles({ configDir: path.join(root, 'missing'), ...everything, strategy: 'walk' })).rejects.toThrow(
      /cannot list the directory: file not found/,
    );
  });
});
