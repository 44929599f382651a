import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../../src/config/load.js';
import { takeSnapshots } from '../../src/snapshot/build.js';
import { diskFileTree } from '../../src/sources/file-tree.js';
import { CORPUS_DIR } from '../corpus.js';

/**
 * The secret census of the corpus: every configuration file of every
 * repository, read on its own as driftwatch reads it, and what its keys are
 * marked secret for. Run it to see the figures (and, with `--list`, every key
 * marked secret, to judge them one by one):
 *
 *     node --import tsx test/snapshot/secret-census.ts [--list]
 */
export interface SecretCensus {
  readonly files: number;
  readonly keys: number;
  /** Keys marked secret, by reason. */
  readonly byReason: ReadonlyMap<string, number>;
  /** Every key marked secret: `repo file key [reason]`, sorted. */
  readonly secrets: readonly CensusKey[];
  /** Files driftwatch could not read, with why. */
  readonly failures: readonly string[];
}

export interface CensusKey {
  readonly repo: string;
  readonly file: string;
  readonly key: string;
  readonly reason: string;
  /** The value when driftwatch shows one (a masked URL), never the secret itself. */
  readonly shown?: string;
}

const CONFIG_FILE = /\.(?:ya?ml|json|toml|properties|env)$/;

function configFiles(dir: string, relative = ''): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(path.join(dir, relative), { withFileTypes: true })) {
    const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
    if (entry.isDirectory()) files.push(...configFiles(dir, child));
    else if (entry.isFile() && CONFIG_FILE.test(entry.name)) files.push(child);
  }
  return files.sort();
}

export async function secretCensus(corpusDir = CORPUS_DIR): Promise<SecretCensus> {
  const byReason = new Map<string, number>();
  const secrets: CensusKey[] = [];
  const failures: string[] = [];
  let files = 0;
  let keys = 0;
  const repositories = readdirSync(corpusDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  for (const repo of repositories) {
    const dir = path.join(corpusDir, repo);
    const list = configFiles(dir);
    // One environment per file: each file is classified as it is, not as merged. Some real files
    // are empty on purpose (a kustomize patch "intentionally empty"): they count, with no keys.
    const lines = ['version: 1', 'environments:'];
    for (const [index, file] of list.entries())
      lines.push(`  f${index}: {sources: [{path: ${JSON.stringify(file)}, allowEmpty: true}]}`);
    const config = parseConfig(lines.join('\n'), path.join(dir, 'driftwatch.yaml'));
    const results = await takeSnapshots({
      config,
      env: {},
      fingerprintKey: Buffer.from('census'),
      files: diskFileTree(dir),
    });
    for (const [index, result] of results.entries()) {
      const file = list[index] as string;
      files++;
      if (result.problems.length > 0) {
        failures.push(`${repo}/${file}: ${result.problems[0]?.message ?? ''}`);
        continue;
      }
      for (const entry of result.snapshot.entries.values()) {
        keys++;
        if (!entry.sensitive) continue;
        const reason = entry.sensitiveReason ?? 'unknown';
        byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
        secrets.push({
          repo,
          file,
          key: entry.key,
          reason,
          ...(entry.value === undefined ? {} : { shown: String(entry.value) }),
        });
      }
    }
  }
  return { files, keys, byReason, secrets, failures };
}

function printCensus(census: SecretCensus, list: boolean): void {
  const out = process.stdout;
  out.write(`${census.files} files, ${census.keys} keys, ${census.secrets.length} marked secret\n`);
  out.write('by reason:\n');
  for (const [reason, count] of [...census.byReason].sort(([a], [b]) => (a < b ? -1 : 1))) {
    out.write(`  ${reason.padEnd(40)} ${String(count).padStart(5)}\n`);
  }
  out.write('by repository:\n');
  const byRepository = new Map<string, number>();
  for (const secret of census.secrets) byRepository.set(secret.repo, (byRepository.get(secret.repo) ?? 0) + 1);
  for (const [repo, count] of byRepository) out.write(`  ${repo.padEnd(40)} ${String(count).padStart(5)}\n`);
  for (const failure of census.failures) out.write(`  not read: ${failure}\n`);
  if (!list) return;
  for (const secret of census.secrets) {
    const shown = secret.shown === undefined ? '' : ` = ${secret.shown}`;
    out.write(`${secret.repo} ${secret.file} ${secret.key}${shown} [${secret.reason}]\n`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  printCensus(await secretCensus(), process.argv.includes('--list'));
}
