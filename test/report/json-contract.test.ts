import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../cli/io.js';
import { CORPUS_DIR } from '../corpus.js';
import { reportSchemaErrors } from '../helpers/report-schema.js';

interface CorpusEntry {
  readonly repo: string;
  readonly envs: Record<string, string[]>;
}

/** A rule of every kind that needs nothing but the snapshots, over every key. */
const EVERY_KIND = `rules:
  - {id: every-parity, kind: parity}
  - {id: every-require, kind: require, keys: [no.such.key]}
  - {id: every-forbid, kind: forbid, keys: ["**.password"]}
  - {id: every-equal, kind: equal, keys: ["**"], severity: warning}
  - {id: every-differ, kind: differ, keys: ["**"], severity: notice}
  - {id: every-match, kind: match, keys: ["**.url"], type: url}
  - {id: every-plaintext, kind: plaintext}
  - {id: every-allow, kind: allow, keys: ["**.host"], reason: hosts differ by design}
`;

const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/**
 * The JSON report of a check over each corpus repository matches
 * schema/report.schema.json: real configuration makes findings of kinds and
 * shapes no hand-written sample thinks of (17 findings of kind plaintext once
 * failed the schema on one of them).
 */
describe('the JSON report of real repositories matches schema/report.schema.json', () => {
  const corpus = JSON.parse(readFileSync(path.join(CORPUS_DIR, 'sources.json'), 'utf8')) as CorpusEntry[];
  for (const entry of corpus) {
    it(entry.repo, async () => {
      const name = entry.repo.replace('/', '__');
      const dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-contract-'));
      temporary.push(dir);
      const environments = Object.entries(entry.envs)
        .map(([env, files]) => [env, files.filter((file) => !file.includes(' '))] as const)
        .filter(([, files]) => files.length > 0)
        .map(([env, files]) => {
          const sources = files.map(
            (file) => `      - path: ${JSON.stringify(path.relative(dir, path.join(CORPUS_DIR, name, file)))}`,
          );
          return [`  ${env}:`, '    sources:', ...sources].join('\n');
        });
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        path.join(dir, 'driftwatch.yaml'),
        `version: 1\nenvironments:\n${environments.join('\n')}\nrules: [driftwatch:recommended, every-kind.yaml]\n`,
      );
      writeFileSync(path.join(dir, 'every-kind.yaml'), EVERY_KIND);
      const result = await run(dir, ['check', '--format', 'json']);
      const report = JSON.parse(result.stdout);
      expect(report.errors).toEqual([]);
      expect(report.findings.length).toBeGreaterThan(0);
      expect(reportSchemaErrors(report)).toEqual([]);
    });
  }
});
