/**
 * Snapshot throughput on the largest real files of the corpus, as a ratio to
 * reading and parsing the same files with the bare `yaml` / `dotenv` parsers
 * in the same run. Target: our overhead over the bare parse at most 50%.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { parse as parseYaml } from 'yaml';
import { parseConfig } from '../src/config/load.js';
import { takeSnapshot } from '../src/snapshot/build.js';
import { diskFileTree } from '../src/sources/file-tree.js';
import { CORPUS_DIR } from '../test/corpus.js';
import { type BenchLine, medianMs, peakRssMiB } from './bench.js';

const YAML_FILES = [
  'alphagov__govuk-helm-charts/charts/app-config/values-integration.yaml',
  'alphagov__govuk-helm-charts/charts/app-config/values-staging.yaml',
  'alphagov__govuk-helm-charts/charts/app-config/values-production.yaml',
];
const DOTENV_FILES = [
  'demokratie-live__infrastructure/kustomize/overlays/production/configs/democracy-api.env',
  'demokratie-live__infrastructure/kustomize/overlays/production/configs/bio-api.env',
  'demokratie-live__infrastructure/kustomize/overlays/production/configs/crawler.env',
];

function configFor(files: readonly string[]) {
  const text = [
    'version: 1',
    'environments:',
    '  bench:',
    '    sources:',
    ...files.map((file) => `      - path: ${JSON.stringify(file)}`),
  ].join('\n');
  return parseConfig(text, path.join(CORPUS_DIR, 'driftwatch.yaml'));
}

/**
 * `repeat`: small files take a millisecond or two, below what one timing can
 * tell apart from noise; each sample then runs the work `repeat` times.
 */
async function ratioLine(
  name: string,
  files: readonly string[],
  bare: (text: string) => unknown,
  repeat = 1,
): Promise<BenchLine[]> {
  const config = configFor(files);
  const environment = config.environments[0];
  if (!environment) throw new Error('no environment');
  const options = { config, env: {}, fingerprintKey: Buffer.alloc(32, 7), files: diskFileTree(config.dir) };
  let keys = 0;
  const ours = await medianMs(async () => {
    for (let round = 0; round < repeat; round++) {
      const result = await takeSnapshot(environment, options);
      if (result.problems.length > 0) throw new Error(result.problems.map((problem) => problem.message).join('\n'));
      keys = result.snapshot.entries.size;
    }
  }, 15);
  const baseline = await medianMs(async () => {
    for (let round = 0; round < repeat; round++) {
      for (const file of files) bare(await readFile(path.join(CORPUS_DIR, file), 'utf8'));
    }
  }, 15);
  const ratio = ours / baseline;
  return [
    { name: `${name}: snapshot (${files.length} files, ${keys} keys)`, value: ours / repeat, unit: 'ms' },
    { name: `${name}: bare read + parse`, value: baseline / repeat, unit: 'ms' },
    {
      name: `${name}: snapshot / bare parse`,
      value: ratio,
      unit: 'x',
      note: 'target <= 1.5 (at most 50% overhead)',
      ok: ratio <= 1.5,
    },
  ];
}

export async function bench(): Promise<BenchLine[]> {
  const lines = [
    ...(await ratioLine('yaml (govuk helm values)', YAML_FILES, (text) =>
      parseYaml(text, { maxAliasCount: -1, merge: true }),
    )),
    ...(await ratioLine('dotenv (demokratie)', DOTENV_FILES, (text) => parseDotenv(text), 50)),
  ];
  lines.push({ name: 'peak RSS after snapshot benchmarks', value: peakRssMiB(), unit: 'MiB' });
  return lines;
}
