import { appendFile, mkdtemp, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { noticeLines, runCheck } from '../check/run-check.js';
import { type Env, openDiskWorkspace } from '../check/workspace.js';
import { DriftwatchError, formatProblem, type Problem, UsageError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { failsGate } from '../report/build-report.js';
import { summaryLine } from '../report/github.js';
import { reporters } from '../report/index.js';
import { markdownText } from '../report/markdown.js';
import { escapeData, workflowCommand } from '../report/workflow-command.js';
import { readBaseline } from '../rules/baseline.js';
import { scrubProblem, scrubSecrets } from '../snapshot/scrub.js';
import { cappedAnnotations } from './capped-annotations.js';
import { type ActionInputs, readInputs } from './inputs.js';
import { fitJobSummary, JOB_SUMMARY_LIMIT_BYTES } from './job-summary.js';
import { workflowOutputText } from './workflow-output.js';

/** What the Action touches of the runner: its environment (inputs, the files it names), folder and log. */
export interface Runner {
  readonly env: Env;
  /** The step's folder: the checkout (`$GITHUB_WORKSPACE`) unless the workflow says otherwise. */
  readonly cwd: string;
  readonly stdout: { write(text: string): unknown };
}

/**
 * The GitHub Action: `driftwatch check` run in `working-directory`, its
 * findings as annotations, its Markdown report as the job summary, its counts
 * as step outputs, and the CLI's exit code (0 clean, 1 findings at or above
 * `fail-on`, 2 the check could not be done).
 */
export async function runAction(runner: Runner): Promise<number> {
  const log = (line: string) => runner.stdout.write(`${line}\n`);
  try {
    return await checkAndReport(runner, log);
  } catch (error) {
    if (error instanceof DriftwatchError) {
      const problems = error.problems.map(scrubProblem);
      for (const problem of problems) log(problemAnnotation(problem));
      // The summary says so too; a summary that cannot be written is said in the log, and the exit code stands.
      await writeJobSummary(runner, couldNotRunSummary(problems), log).catch((summaryError: unknown) =>
        log(`driftwatch: ${summaryError instanceof Error ? summaryError.message : String(summaryError)}`),
      );
      return EXIT.FAILED;
    }
    // A bug's message can quote what it choked on: scrubbed like every other error text.
    const detail = scrubSecrets(error instanceof Error ? (error.stack ?? error.message) : String(error));
    log(workflowCommand('error', { title: 'driftwatch' }, 'internal error — this is a bug, please report it'));
    log(escapeData(detail));
    return EXIT.FAILED;
  }
}

async function checkAndReport(runner: Runner, log: (line: string) => void): Promise<number> {
  const inputs = readInputs(runner.env);
  const dir = await workingDirectory(runner.cwd, inputs);
  if (inputs.sarif) await assertFolderOf(path.resolve(dir, inputs.sarif), inputs.sarif);
  const configFile = path.resolve(dir, inputs.config);
  const workspace = await openDiskWorkspace({
    configFile,
    displayName: path.relative(runner.cwd, configFile) || configFile,
    env: runner.env,
  });
  const baseline = inputs.baseline
    ? await readBaseline(path.resolve(dir, inputs.baseline), inputs.baseline)
    : undefined;
  const run = await runCheck(workspace, {
    ...(inputs.environments.length > 0 ? { env: inputs.environments } : {}),
    ...(baseline ? { baseline } : {}),
  });
  // Notices are plain log lines, escaped: a rule pack's text must not start a workflow command.
  const notices = [
    ...workspace.config.notices.map((notice) => formatProblem(scrubProblem(notice))),
    ...noticeLines(run),
  ];
  for (const notice of notices) log(`warning: ${escapeData(notice)}`);
  for (const line of cappedAnnotations(run.report)) log(line);
  log(summaryLine(run.report));

  if (inputs.sarif) {
    await writeNamedFile(path.resolve(dir, inputs.sarif), inputs.sarif, reporters.sarif(run.report, { color: false }));
  }
  const reportFile = await writeJsonReport(runner.env, reporters.json(run.report, { color: false }));
  await writeJobSummary(runner, reporters.markdown(run.report, { color: false }), log);
  await writeOutputs(
    runner,
    {
      errors: String(run.report.summary.error),
      warnings: String(run.report.summary.warning),
      notices: String(run.report.summary.notice),
      report: reportFile,
    },
    log,
  );
  if (run.incomplete) return EXIT.FAILED;
  return failsGate(run.report, inputs.failOn) ? EXIT.FINDINGS : EXIT.OK;
}

async function workingDirectory(cwd: string, inputs: ActionInputs): Promise<string> {
  const dir = path.resolve(cwd, inputs.workingDirectory);
  const found = await stat(dir).catch(() => undefined);
  if (!found?.isDirectory()) {
    throw new UsageError(
      `input 'working-directory' is '${inputs.workingDirectory}', which is not a folder of the checkout`,
    );
  }
  return dir;
}

/** A report whose folder is missing is refused before the check runs, as `check --format sarif=FILE` does. */
async function assertFolderOf(file: string, shown: string): Promise<void> {
  const folder = await stat(path.dirname(file)).catch(() => undefined);
  if (!folder?.isDirectory()) {
    throw new UsageError(`input 'sarif': cannot write ${shown}: the folder ${path.dirname(shown)} does not exist`);
  }
}

/**
 * The whole report in the JSON contract, in the runner's temporary folder
 * (emptied after every job): what the `report` output names, for a later step
 * to read when the job summary had to be cut.
 */
async function writeJsonReport(env: Env, text: string): Promise<string> {
  const parent = env.RUNNER_TEMP !== undefined && env.RUNNER_TEMP !== '' ? env.RUNNER_TEMP : tmpdir();
  const dir = await mkdtemp(path.join(parent, 'driftwatch-'));
  const file = path.join(dir, 'report.json');
  await writeNamedFile(file, file, text);
  return file;
}

const WRITE_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'its folder does not exist',
  ENOTDIR: 'a part of its path is not a folder',
  EISDIR: 'it is a folder; name a file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOSPC: 'no space left on the device',
};

async function writeNamedFile(file: string, shown: string, text: string): Promise<void> {
  try {
    await writeFile(file, text, 'utf8');
  } catch (error) {
    throw new UsageError(
      `cannot write ${shown}: ${WRITE_ERRORS[(error as NodeJS.ErrnoException).code ?? ''] ?? (error as Error).message}`,
    );
  }
}

/** Appends to `$GITHUB_STEP_SUMMARY`, within what GitHub accepts from one step. */
async function writeJobSummary(runner: Runner, markdown: string, log: (line: string) => void): Promise<void> {
  const file = runner.env.GITHUB_STEP_SUMMARY;
  if (file === undefined || file === '') {
    log('driftwatch: GITHUB_STEP_SUMMARY is not set, so no job summary was written');
    return;
  }
  const before = (await stat(file).catch(() => undefined))?.size ?? 0;
  const text = fitJobSummary(markdown, JOB_SUMMARY_LIMIT_BYTES - before);
  try {
    await appendFile(file, text, 'utf8');
  } catch {
    throw new UsageError('cannot write the job summary (GITHUB_STEP_SUMMARY)');
  }
}

async function writeOutputs(
  runner: Runner,
  outputs: Readonly<Record<string, string>>,
  log: (line: string) => void,
): Promise<void> {
  const file = runner.env.GITHUB_OUTPUT;
  if (file === undefined || file === '') {
    log(`driftwatch: GITHUB_OUTPUT is not set, so the step has no outputs (${Object.keys(outputs).join(', ')})`);
    return;
  }
  try {
    await appendFile(file, workflowOutputText(outputs), 'utf8');
  } catch {
    throw new UsageError('cannot write the step outputs (GITHUB_OUTPUT)');
  }
}

/** A problem that stopped the check, annotated on the file it names when it names one. */
function problemAnnotation(problem: Problem): string {
  const file = problem.file !== undefined && !path.isAbsolute(problem.file) ? problem.file : undefined;
  return workflowCommand(
    'error',
    {
      title: 'driftwatch could not run the check',
      file,
      line: file ? problem.line : undefined,
      col: file && problem.line !== undefined ? problem.column : undefined,
    },
    formatProblem(problem),
  );
}

function couldNotRunSummary(problems: readonly Problem[]): string {
  const lines = ['## ❌ driftwatch: the check could not be run', ''];
  for (const problem of problems) lines.push(`- ${markdownText(formatProblem(problem))}`);
  return `${lines.join('\n')}\n`;
}
