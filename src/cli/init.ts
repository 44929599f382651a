import { lstat, realpath } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_CONFIG_FILE, parseConfig } from '../config/load.js';
import { UsageError } from '../errors.js';
import { type InitPlan, planConfig } from '../init/plan-config.js';
import { codeSummary, renderConfig } from '../init/render-config.js';
import { repositoryFiles } from '../init/repository-files.js';
import { plural } from '../plural.js';
import { terminalSafe } from '../report/terminal-safe.js';
import { EXIT } from './exit-codes.js';
import { assertWritable, type Io, type OutputStream, writeFileAtomic } from './io.js';

export interface InitCommandOptions {
  readonly config?: string;
  readonly force?: boolean;
  readonly dryRun?: boolean;
}

/**
 * `driftwatch init`: looks at the repository (the folder the config goes in)
 * and writes a starting driftwatch.yaml. Never outside the current folder,
 * never over an existing file without `--force`; `--dry-run` prints it instead.
 */
export async function initCommand(options: InitCommandOptions, io: Io): Promise<number> {
  const shown = options.config ?? DEFAULT_CONFIG_FILE;
  const target = path.resolve(io.cwd, shown);
  await assertInside(io.cwd, target, shown);
  const existing = await lstat(target).catch(() => undefined);
  if (existing?.isDirectory())
    throw new UsageError(`${shown} is a folder: name the file to write, e.g. ${shown}/driftwatch.yaml`);
  if (existing && !options.dryRun && !options.force) {
    throw new UsageError(`${shown} already exists: --force replaces it, --dry-run prints the new one instead`);
  }
  if (!options.dryRun) await assertWritable(target, shown);
  const plan = planConfig(await repositoryFiles(path.dirname(target)));
  const summary = options.dryRun ? io.stderr : io.stdout;
  printPlan(summary, plan);
  if (plan.environments.length === 0) {
    throw new UsageError(
      'found no environments in a layout driftwatch knows; nothing written (write driftwatch.yaml by hand: see the README)',
    );
  }
  const text = renderConfig(plan);
  assertLoads(text, target);
  if (options.dryRun) {
    io.stdout.write(text);
    return EXIT.OK;
  }
  await writeFileAtomic(target, text, shown);
  io.stdout.write(
    `Wrote ${shown} with ${plural(plan.environments.length, 'environment')}; run driftwatch snapshot --all${options.config === undefined ? '' : ` -c ${shown}`} to see what it reads\n`,
  );
  return EXIT.OK;
}

/** What init found and why, and what it could not place: for people, before anything is written. */
function printPlan(out: OutputStream, plan: InitPlan): void {
  for (const environment of plan.environments) {
    out.write(`${terminalSafe(environment.name)}: ${plural(environment.sources.length, 'source')}\n`);
    for (const line of environment.evidence) out.write(`  ${terminalSafe(line)}\n`);
  }
  if (plan.rulePacks.length > 0) out.write(`rule packs: ${terminalSafe(plan.rulePacks.join(', '))}\n`);
  if (plan.code) out.write(`references: ${terminalSafe(codeSummary(plan))}\n`);
  if (plan.notLookedAt.length > 0) {
    out.write(`not looked at (tests and examples): ${terminalSafe(plan.notLookedAt.join(', '))}\n`);
  }
  if (plan.unplaced.length > 0) {
    out.write(`not placed (${plan.unplaced.length}):\n`);
    for (const entry of plan.unplaced) out.write(`  ${terminalSafe(entry.path)}: ${terminalSafe(entry.reason)}\n`);
  }
}

/** The config is written where the user is, and nowhere else: not above it, not through a link out of it. */
async function assertInside(cwd: string, target: string, shown: string): Promise<void> {
  const outside = (from: string, to: string) => {
    const relative = path.relative(from, to);
    return relative.startsWith('..') || path.isAbsolute(relative);
  };
  if (outside(cwd, target)) throw new UsageError(`${shown}: init writes inside the current folder, not outside it`);
  const folder = await realpath(path.dirname(target)).catch(() => undefined);
  if (folder === undefined)
    throw new UsageError(`cannot write ${shown}: the folder ${path.dirname(shown)} does not exist`);
  if (outside(await realpath(cwd), folder)) {
    throw new UsageError(`${shown}: its folder links outside the current folder; init writes only inside it`);
  }
}

/** What init writes must load; if it does not, that is a bug in init, not the user's mistake. */
function assertLoads(text: string, target: string): void {
  try {
    parseConfig(text, target);
  } catch (error) {
    throw new Error(
      `init produced a driftwatch.yaml that does not load: ${error instanceof Error ? error.message : error}`,
    );
  }
}
