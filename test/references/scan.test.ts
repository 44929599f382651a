import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ReferencesConfig } from '../../src/references/config.js';
import { type ScanProgress, scanReferences, scanWorkerEntry } from '../../src/references/scan.js';
import { MAX_FILE_BYTES } from '../../src/references/scan-file.js';

const PROJECT = path.resolve(import.meta.dirname, '../..');
const FIXTURE = path.join(PROJECT, 'test/fixtures/references/polyglot');

const made: string[] = [];
afterEach(() => {
  for (const directory of made.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function tree(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'driftwatch-scan-'));
  made.push(root);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  }
  return root;
}

const defaults = ReferencesConfig.parse({});

describe('references/scan', () => {
  it('indexes the reads of a small polyglot project, sorted by name then site', async () => {
    // The fixture sits in this repository, maybe uncommitted: walk it rather than ask git.
    const index = await scanReferences({ configDir: FIXTURE, config: defaults, listing: { strategy: 'walk' } });
    expect(Object.fromEntries(index.references)).toEqual({
      AWS_REGION: [
        { file: 'services/worker/settings.py', line: 4, column: 14, style: 'env' },
        { file: 'src/server.ts', line: 3, column: 16, style: 'env' },
      ],
      DATABASE_URL: [
        { file: 'deploy/docker-compose.yml', line: 6, column: 21, style: 'env' },
        { file: 'services/worker/settings.py', line: 3, column: 16, style: 'env' },
      ],
      GITHUB_TOKEN: [{ file: 'tools/sync/main.go', line: 8, column: 16, style: 'env', optional: true }],
      LOG_LEVEL: [{ file: 'deploy/docker-compose.yml', line: 7, column: 18, style: 'env', optional: true }],
      PORT: [{ file: 'src/server.ts', line: 2, column: 14, style: 'env' }],
      SECRET_KEY_BASE: [{ file: 'config/initializers/secrets.rb', line: 1, column: 10, style: 'env' }],
      'mall.security': [
        {
          file: 'mall-admin/src/main/java/com/macro/mall/config/SecurityConfig.java',
          line: 5,
          column: 1,
          style: 'dotted',
          prefix: true,
          optional: true,
        },
      ],
      'payments.api-key': [
        {
          file: 'mall-admin/src/main/java/com/macro/mall/config/SecurityConfig.java',
          line: 8,
          column: 13,
          style: 'dotted',
        },
      ],
      'payments.timeout': [{ file: 'src/server.ts', line: 5, column: 17, style: 'dotted' }],
    });
    expect(index.unresolvable).toEqual([
      { file: 'src/server.ts', line: 7, column: 10, snippet: 'process.env[`FEATURE_${name}`]' },
    ]);
    expect(index.skipped).toEqual({ binary: 0, minified: 0, unreadable: 0, tooLarge: 0 });
    expect(index.files).toBe(6);
  });

  it('skips and counts binary, minified, oversized and unreadable files', async () => {
    const root = tree({
      'src/app.js': 'module.exports = process.env.API_URL;\n',
      'src/logo.js': Buffer.from([0x47, 0x49, 0x46, 0x00, 0x01, 0x70]),
      'public/bundle.js': `!function(){var e=process.env.MINIFIED;${'x'.repeat(6000)}}();`,
      'public/wide.js': `${'var a = process.env.WIDE;'.repeat(30)}\n`.repeat(10),
      'data/huge.json': `{"k":"${'v'.repeat(MAX_FILE_BYTES)}"}`,
      'docs/notes.md': 'process.env.NOT_CODE',
    });
    symlinkSync(path.join(root, 'nowhere.js'), path.join(root, 'src/dangling.js'));
    const index = await scanReferences({
      configDir: root,
      config: defaults,
      files: [
        'src/app.js',
        'src/logo.js',
        'public/bundle.js',
        'public/wide.js',
        'data/huge.json',
        'src/dangling.js',
        'docs/notes.md',
      ],
    });
    expect(index.skipped).toEqual({ binary: 1, minified: 2, unreadable: 1, tooLarge: 1 });
    expect([...index.references.keys()]).toEqual(['API_URL']);
    expect(index.files).toBe(1);
    expect(index.bytes).toBe(38);
  });

  it('fails closed when the include globs select no file, but not for an explicit empty list', async () => {
    const root = tree({ 'src/app.ts': 'process.env.A' });
    const config = ReferencesConfig.parse({ include: ['scr/**'] });
    await expect(scanReferences({ configDir: root, config })).rejects.toThrow(/no files match include \[scr\/\*\*\]/);
    const index = await scanReferences({ configDir: root, config, files: ['docs/changelog.md'] });
    expect(index.files).toBe(0);
  });

  it('reports names and columns of non-ASCII files in UTF-8 terms', async () => {
    const line1 = "const greeting = 'grüße 👋'; const url = process.env.API_URL;";
    const line2 = "const mode = process.env['CAFÉ_MODE'] ?? process.env[`${'ü'}`];";
    const root = tree({ 'src/grüße.ts': `${line1}\n${line2}\n` });
    const index = await scanReferences({ configDir: root, config: defaults });
    expect(Object.fromEntries(index.references)).toEqual({
      API_URL: [{ file: 'src/grüße.ts', line: 1, column: line1.indexOf('process') + 1, style: 'env' }],
      CAFÉ_MODE: [{ file: 'src/grüße.ts', line: 2, column: 14, style: 'env', optional: true }],
    });
    expect(index.unresolvable).toEqual([
      { file: 'src/grüße.ts', line: 2, column: line2.lastIndexOf('process') + 1, snippet: "process.env[`${'ü'}`]" },
    ]);
  });

  it('scans many files on worker threads with the same result as on the main thread, and reports progress', async () => {
    const files: Record<string, string> = {};
    for (let n = 0; n < 300; n++) {
      files[`src/module-${String(n).padStart(3, '0')}.ts`] =
        `export const value${n} = process.env.KEY_${n % 50} ?? config.get('feature.f${n % 7}');\n` +
        `export const dynamic${n} = process.env[name${n}];\n`;
    }
    files['src/blob.ts'] = '\0binary';
    const root = tree(files);
    const config = ReferencesConfig.parse({
      extractors: [{ name: 'flags', pattern: String.raw`flag\('(?<key>[\w.]+)'\)`, files: ['*.ts'] }],
    });
    writeFileSync(path.join(root, 'src/module-000.ts'), "export const f = flag('flags.beta');\n", { flag: 'a' });
    const progress: ScanProgress[] = [];
    const onWorkers = await scanReferences({
      configDir: root,
      config,
      threads: 'workers',
      onProgress: (p) => progress.push(p),
    });
    const onMain = await scanReferences({ configDir: root, config, threads: 'main' });
    const automatic = await scanReferences({ configDir: root, config });
    expect(onWorkers).toEqual(onMain);
    expect(automatic).toEqual(onMain);
    expect(onMain.files).toBe(300);
    expect(onMain.skipped.binary).toBe(1);
    expect(onMain.references.get('KEY_0')).toHaveLength(6);
    expect(onMain.references.get('flags.beta')).toEqual([
      { file: 'src/module-000.ts', line: 3, column: 18, style: 'dotted' },
    ]);
    expect(onMain.unresolvable).toHaveLength(300);
    const last = progress.at(-1);
    expect(last).toMatchObject({ files: 301, bytes: onMain.bytes, done: true });
    expect(progress.length).toBeGreaterThan(2);
  });

  it('starts workers from TypeScript source through tsx, and from compiled JavaScript directly', () => {
    expect(scanWorkerEntry()).toHaveProperty('bootstrap');
    expect(scanWorkerEntry('file:///app/dist/references/scan.js')).toEqual({
      url: new URL('file:///app/dist/references/scan-worker.js'),
    });
  });

  it('runs the worker path from a compiled build', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'driftwatch-dist-'));
    made.push(out);
    const tsc = path.join(PROJECT, 'node_modules/typescript/bin/tsc');
    execFileSync(
      process.execPath,
      [
        tsc,
        '--ignoreConfig',
        'src/references/scan.ts',
        'src/references/scan-worker.ts',
        '--outDir',
        out,
        '--rootDir',
        'src',
        '--module',
        'nodenext',
        '--moduleResolution',
        'nodenext',
        '--target',
        'es2022',
        '--types',
        'node',
        '--skipLibCheck',
      ],
      { cwd: PROJECT, stdio: 'pipe' },
    );
    writeFileSync(path.join(out, 'package.json'), '{"type":"module"}');
    symlinkSync(path.join(PROJECT, 'node_modules'), path.join(out, 'node_modules'));
    const scan = pathToFileURL(path.join(out, 'references/scan.js')).href;
    const config = JSON.stringify(defaults);
    const script = `
      const { scanReferences } = await import(${JSON.stringify(scan)});
      const index = await scanReferences({ configDir: ${JSON.stringify(FIXTURE)}, config: ${config}, threads: 'workers', listing: { strategy: 'walk' } });
      console.log(JSON.stringify([...index.references.keys()]));
    `;
    writeFileSync(path.join(out, 'run.js'), script);
    const output = execFileSync(process.execPath, [path.join(out, 'run.js')], { encoding: 'utf8' });
    expect(JSON.parse(output)).toContain('payments.api-key');
  });
});
