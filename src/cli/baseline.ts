import path from 'node:path';
import { runCheck } from '../check/run-check.js';
import { plural } from '../plural.js';
import { baselineOf } from '../rules/baseline.js';
import { EXIT } from './exit-codes.js';
import { assertWritable, type Io, writeFileAtomic } from './io.js';
import { printNotices, printProblems } from './problems.js';
import { openWorkspace } from './workspace.js';

export const DEFAULT_BASELINE_FILE = 'driftwatch.baseline.json';

export interface BaselineCommandOptions {
  readonly config?: string;
  readonly output?: string;
  readonly now?: Date;
}

/** `driftwatch baseline`: records today's findings so that `check --baseline` fails only on new ones. */
export async function baselineCommand(options: BaselineCommandOptions, io: Io): Promise<number> {
  const workspace = await openWorkspace(options.config, io);
  const file = options.output ?? path.join(path.relative(io.cwd, workspace.config.dir), DEFAULT_BASELINE_FILE);
  await assertWritable(path.resolve(io.cwd, file), file);
  const { report, incomplete, notices } = await runCheck(workspace, { now: options.now });
  printNotices(io.stderr, notices);
  if (incomplete) {
    printProblems(io.stderr, report.errors);
    io.stderr.write('driftwatch: no baseline written: the check could not be completed\n');
    return EXIT.FAILED;
  }
  const baseline = baselineOf(report.findings);
  await writeFileAtomic(path.resolve(io.cwd, file), `${JSON.stringify(baseline, null, 2)}\n`, file);
  io.stdout.write(`Wrote ${plural(baseline.findings.length, 'known finding')} to ${file}\n`);
  return EXIT.OK;
}
