import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../cli/io.js';

const temporary: string[] = [];
afterEach(() => {
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-reads-'));
  temporary.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('what the code reads, through check', () => {
  it('a typed config.get is a read, a guarded one a notice, and a read written in a string none', async () => {
    const dir = project({
      'driftwatch.yaml': [
        'version: 1',
        'environments:',
        '  production: {sources: [{path: config/production.json}]}',
        'rules: [rules/none.yaml]',
        'references: {include: [src/**]}',
      ].join('\n'),
      'rules/none.yaml': 'rules: [{id: parity, kind: parity}]\n',
      'config/production.json': '{"payments": {"currency": "EUR"}}\n',
      'src/payments.ts': [
        "import config from 'config';",
        '',
        "export const apiBase = config.get<string>('payments.api_base');",
        "export const ttl = config.has('cache.ttl') ? config.get<number>('cache.ttl') : 60;",
        "export const currency = config.get<'EUR' | 'USD'>('payments.currency');",
        'export const help = "set process.env.SENTRY_DSN to report errors";',
        '// process.env.LEGACY_TOKEN was read here before the rewrite',
      ].join('\n'),
    });
    const report = JSON.parse((await run(dir, ['check', '--format', 'json'])).stdout);
    const missing = report.findings
      .filter((finding: { rule: string }) => finding.rule === 'read-but-missing')
      .map(({ key, severity, locations }: { key: string; severity: string; locations: { line: number }[] }) => [
        key,
        severity,
        locations[0]?.line,
      ]);
    expect(missing).toEqual([
      ['payments.api_base', 'error', 3],
      ['cache.ttl', 'notice', 4],
    ]);
  });
});
