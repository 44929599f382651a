/**
 * The whole `driftwatch check` process, as a user runs it: two generated
 * `.env` files of 100,000 keys (0.5% removed, 0.5% changed), rules `parity`
 * and `equal` over `**`, JSON out, `node bin/driftwatch.js` from the dist
 * build. Measured against a floor run the same way in the same run: a bare
 * node script that reads both files, splits lines at `=`, aligns keys in a
 * Map and prints the differing keys as JSON. Targets: at most 2.5x the
 * floor's wall time and 1.5x its peak memory (RSS of the child process).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BenchLine } from './bench.js';

const PROJECT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(PROJECT, 'bin', 'driftwatch.js');
const KEYS = 100_000;
const RUNS = 5;
const TARGET_WALL = 2.5;
const TARGET_RSS = 1.5;

/** Words that make keys look like real ones: some secret-named, some booleans, URLs and durations. */
const SUFFIXES = ['HOST', 'PORT', 'URL', 'TIMEOUT', 'ENABLED', 'PASSWORD', 'API_TOKEN', 'NAME', 'MAX_SIZE', 'MODE'];
const SERVICES = ['BILLING', 'AUTH', 'SEARCH', 'MAIL', 'LEDGER', 'CATALOG', 'PAYMENTS'];

function sampleValue(suffix: string, index: number): string {
  switch (suffix) {
    case 'HOST':
      return `svc-${index}.internal`;
    case 'PORT':
      return String(1024 + (index % 60_000));
    case 'URL':
      return `https://api-${index}.example.com/v1`;
    case 'TIMEOUT':
      return `${index % 90}s`;
    case 'ENABLED':
      return index % 3 === 0 ? 'true' : 'false';
    case 'PASSWORD':
    case 'API_TOKEN':
      return `s3cr3t-${(index * 2_654_435_761) % 4_294_967_296}`;
    default:
      return `value-${index}`;
  }
}

/**
 * `staging.env` and `production.env` in `dir`: production lacks every 200th
 * key (0.5%) and changes another 0.5%. Deterministic, so that another tool
 * can be run on the very same files.
 */
export function writeEnvPair(dir: string, size = KEYS): { staging: string; production: string } {
  const staging: string[] = [];
  const production: string[] = [];
  for (let index = 0; index < size; index++) {
    const suffix = SUFFIXES[index % SUFFIXES.length] as string;
    const key = `${SERVICES[index % SERVICES.length]}_${suffix}_${index}`;
    const value = sampleValue(suffix, index);
    staging.push(`${key}=${value}`);
    if (index % 200 === 0) continue;
    production.push(`${key}=${index % 200 === 100 ? `${value}-changed` : value}`);
  }
  const files = { staging: path.join(dir, 'staging.env'), production: path.join(dir, 'production.env') };
  writeFileSync(files.staging, `${staging.join('\n')}\n`);
  writeFileSync(files.production, `${production.join('\n')}\n`);
  return files;
}

const CONFIG = `version: 1
environments:
  staging:
    sources: [{path: staging.env}]
  production:
    sources: [{path: production.env}]
rules: [rules.yaml]
`;

const RULES = `rules:
  - {id: parity, kind: parity, keys: ["**"]}
  - {id: same-values, kind: equal, keys: ["**"]}
`;

/** The floor: the least any tool must do to answer the same question. */
const FLOOR = `import { readFileSync } from 'node:fs';
function read(file) {
  const map = new Map();
  for (const line of readFileSync(file, 'utf8').split('\\n')) {
    const at = line.indexOf('=');
    if (at > 0) map.set(line.slice(0, at), line.slice(at + 1));
  }
  return map;
}
const a = read(process.argv[2]);
const b = read(process.argv[3]);
const differing = [];
for (const [key, value] of a) if (b.get(key) !== value) differing.push(key);
for (const key of b.keys()) if (!a.has(key)) differing.push(key);
process.stdout.write(JSON.stringify(differing) + '\\n');
`;

/** Preloaded into each child (`--import`): writes the child's own peak RSS (KiB) where the parent asks. */
const RSS_PROBE = `import { writeFileSync } from 'node:fs';
process.on('exit', () => writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)));
`;

interface ProcessRun {
  readonly wallMs: number;
  readonly rssMiB: number;
  readonly code: number;
  readonly stdoutBytes: number;
}

/** Runs `node --import probe args` to its end; wall time from spawn to exit, RSS as the child measured it. */
function runNode(dir: string, args: readonly string[]): Promise<ProcessRun> {
  const rssFile = path.join(dir, 'rss');
  rmSync(rssFile, { force: true });
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, ['--import', path.join(dir, 'rss-probe.mjs'), ...args], {
      cwd: dir,
      env: { ...process.env, BENCH_RSS_FILE: rssFile, DRIFTWATCH_FINGERPRINT_KEY: 'be'.repeat(32) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdoutBytes = 0;
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      if (code !== 0 && code !== 1) {
        reject(new Error(`node ${args.join(' ')} exited ${code}: ${stderr.slice(-2000)}`));
        return;
      }
      const rssMiB = Number(readFileSync(rssFile, 'utf8')) / 1024;
      resolve({ wallMs, rssMiB, code: code ?? 0, stdoutBytes });
    });
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** The bench runs the compiled CLI: refuse a dist/ older than the sources rather than measure stale code. */
function assertFreshBuild(): void {
  const built = statSync(path.join(PROJECT, 'dist', 'bundle', 'driftwatch.js'), { throwIfNoEntry: false });
  if (!built) throw new Error('dist/ is missing: run npm run build first');
  const sources = readdirSync(path.join(PROJECT, 'src'), { recursive: true, encoding: 'utf8' });
  const newer = sources.find(
    (file) => file.endsWith('.ts') && statSync(path.join(PROJECT, 'src', file)).mtimeMs > built.mtimeMs,
  );
  if (newer) throw new Error(`src/${newer} is newer than dist/: run npm run build first`);
}

export async function bench(): Promise<BenchLine[]> {
  assertFreshBuild();
  const dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-bench-check-'));
  try {
    const files = writeEnvPair(dir);
    writeFileSync(path.join(dir, 'driftwatch.yaml'), CONFIG);
    writeFileSync(path.join(dir, 'rules.yaml'), RULES);
    writeFileSync(path.join(dir, 'floor.mjs'), FLOOR);
    writeFileSync(path.join(dir, 'rss-probe.mjs'), RSS_PROBE);
    const checkArgs = [CLI, 'check', '-c', path.join(dir, 'driftwatch.yaml'), '--format', 'json'];
    const floorArgs = [path.join(dir, 'floor.mjs'), files.staging, files.production];

    const ours: ProcessRun[] = [];
    const floor: ProcessRun[] = [];
    // Interleaved, after one warm-up each, so that both see the same machine state.
    await runNode(dir, floorArgs);
    const warm = await runNode(dir, checkArgs);
    if (warm.code !== 1) throw new Error(`driftwatch check found no drift (exit ${warm.code})`);
    for (let run = 0; run < RUNS; run++) {
      floor.push(await runNode(dir, floorArgs));
      ours.push(await runNode(dir, checkArgs));
    }
    const wall = median(ours.map((run) => run.wallMs));
    const floorWall = median(floor.map((run) => run.wallMs));
    const rss = median(ours.map((run) => run.rssMiB));
    const floorRss = median(floor.map((run) => run.rssMiB));
    return [
      { name: `check, 2 x ${KEYS.toLocaleString('en')} .env keys, JSON out: wall`, value: wall, unit: 'ms' },
      { name: 'check: peak RSS', value: rss, unit: 'MiB' },
      { name: 'floor (split at =, align in a Map): wall', value: floorWall, unit: 'ms' },
      { name: 'floor: peak RSS', value: floorRss, unit: 'MiB' },
      {
        name: 'check / floor, wall time',
        value: wall / floorWall,
        unit: 'x',
        note: `target <= ${TARGET_WALL}`,
        ok: wall / floorWall <= TARGET_WALL,
      },
      {
        name: 'check / floor, peak RSS',
        value: rss / floorRss,
        unit: 'x',
        note: `target <= ${TARGET_RSS}`,
        ok: rss / floorRss <= TARGET_RSS,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
