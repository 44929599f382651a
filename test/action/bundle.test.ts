import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildAction } from '../../action/build.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const COMMITTED = path.join(ROOT, 'action', 'dist');

describe('action/dist', () => {
  const fresh = mkdtempSync(path.join(tmpdir(), 'driftwatch-bundle-'));
  afterAll(() => rmSync(fresh, { recursive: true, force: true }));

  it('is what npm run build:action makes of the sources today, byte for byte', async () => {
    await buildAction(fresh);
    const files = readdirSync(fresh).sort();
    expect(readdirSync(COMMITTED).sort()).toEqual(files);
    for (const file of files) {
      const same = readFileSync(path.join(fresh, file)).equals(readFileSync(path.join(COMMITTED, file)));
      expect(same, `action/dist/${file} is out of date: run npm run build:action and commit it`).toBe(true);
    }
  });

  it('is what action.yml runs, on Node 24, with the inputs the entry reads', () => {
    const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8'));
    expect(action.runs).toEqual({ using: 'node24', main: 'action/dist/index.js' });
    expect(Object.keys(action.inputs)).toEqual([
      'config',
      'fail-on',
      'baseline',
      'environments',
      'sarif',
      'working-directory',
    ]);
    expect(Object.keys(action.outputs)).toEqual(['errors', 'warnings', 'notices', 'report']);
  });

  it("is what the README's workflow uses, with inputs it has and the permissions upload-sarif needs", () => {
    const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8'));
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const [block] = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)]
      .map((match) => match[1] as string)
      .filter((text) => text.includes('uses: driftwatch/driftwatch@'));
    const workflow = parse(block as string);
    expect(workflow.on).not.toHaveProperty('pull_request_target');
    expect(workflow.permissions).toEqual({ contents: 'read', 'security-events': 'write' });
    const steps = workflow.jobs.drift.steps as { uses: string; with?: Record<string, string> }[];
    expect(steps.map((step) => step.uses.split('@')[0])).toEqual([
      'actions/checkout',
      'driftwatch/driftwatch',
      'github/codeql-action/upload-sarif',
    ]);
    const [, driftwatch, upload] = steps;
    expect(Object.keys(action.inputs)).toEqual(expect.arrayContaining(Object.keys(driftwatch?.with ?? {})));
    expect(upload?.with?.sarif_file).toBe(driftwatch?.with?.sarif);
  });

  it('names no machine it was built on', () => {
    for (const file of readdirSync(COMMITTED)) {
      const text = readFileSync(path.join(COMMITTED, file), 'utf8');
      expect(text.includes(ROOT), file).toBe(false);
      expect(text.includes(tmpdir()), file).toBe(false);
    }
  });
});
