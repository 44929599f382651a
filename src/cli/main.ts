import { Command, CommanderError, Option } from 'commander';
import { DriftwatchError } from '../errors.js';
import { commandOf, keepYoungGenerationSmall } from '../one-shot-heap.js';
import { REPORT_FORMATS } from '../report/index.js';
import { scrubSecrets } from '../snapshot/scrub.js';
import { VERSION } from '../version.js';
import { baselineCommand, DEFAULT_BASELINE_FILE } from './baseline.js';
import { EXIT } from './exit-codes.js';
import { type Io, processIo } from './io.js';
import { printProblems } from './problems.js';
import { REPORT_DESTINATIONS, REPORT_OUTPUT_FORMATS } from './report-options.js';

const configOption = () =>
  new Option('-c, --config <file>', 'path to driftwatch.yaml (paths inside it are relative to it)').default(
    undefined,
    './driftwatch.yaml',
  );

/**
 * Declares the commands; each one is a function of its options and an Io, tested directly.
 * Each command's module loads when it runs, so that a command does not pay for
 * the others' dependencies (the code scanner, the history store, the server).
 */
export function buildProgram(io: Io, setExitCode: (code: number) => void): Command {
  const program = new Command('driftwatch')
    .description('Catch configuration drift between deployment environments before it becomes an outage.')
    .version(VERSION)
    .showHelpAfterError('(run driftwatch --help for usage)')
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .exitOverride();

  program
    .command('check')
    .description('the pre-deploy gate: run the rule packs over every environment and fail on findings')
    .addOption(configOption())
    .option('--env <name...>', 'only these environments (default: all)')
    .option(
      '--format <format[=file]>',
      `report format, repeatable: ${REPORT_FORMATS.join(', ')}; add =FILE to write it to a file`,
      collect,
      [] as string[],
    )
    .option('--output <file>', 'write the report to a file instead of standard output')
    .addOption(
      new Option('--fail-on <level>', 'exit 1 when findings at or above this level exist')
        .choices(['error', 'warning', 'notice', 'never'])
        .default('error'),
    )
    .option('--baseline <file>', 'findings in this file are reported as known and do not fail the gate')
    .option('--accept-shrink', 'do not fail on an environment that shrank sharply since its last stored snapshot')
    .action(async (options) => setExitCode(await (await import('./check.js')).checkCommand(options, io)));

  program
    .command('baseline')
    .description('write the current findings to a baseline file, so that check --baseline fails only on new ones')
    .addOption(configOption())
    .option('--output <file>', `where to write it (default: ${DEFAULT_BASELINE_FILE} beside the config)`)
    .action(async (options) => setExitCode(await baselineCommand(options, io)));

  program
    .command('refs')
    .description('every key with where the code reads it and which environments define it')
    .addOption(configOption())
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (options) => setExitCode(await (await import('./refs.js')).refsCommand(options, io)));

  program
    .command('snapshot')
    .description("print one environment's merged configuration, secrets redacted")
    .addOption(configOption())
    .option('--env <name>', 'the environment to snapshot')
    .option('--all', 'snapshot every environment')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option(
      '--store',
      'record the snapshots in the history (DRIFTWATCH_DATABASE_URL, or .driftwatch/driftwatch.db) instead',
    )
    .option('--accept-shrink', 'with --store: store an environment that lost more than half its keys all the same')
    .action(async (options) => setExitCode(await (await import('./snapshot.js')).snapshotCommand(options, io)));

  program
    .command('history')
    .description('when keys were added, changed and removed in each environment, from the stored snapshots')
    .argument('[key]', 'one key path (default: every key)')
    .addOption(configOption())
    .option('--env <name>', 'only this environment')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--limit <n>', 'only the most recent N changes')
    .action(async (key: string | undefined, options) =>
      setExitCode(await (await import('./history.js')).historyCommand(key, options, io)),
    );

  program
    .command('diff')
    .description('compare two environments key by key, with file:line on both sides')
    .argument('<envA>', 'first environment')
    .argument('<envB>', 'second environment')
    .addOption(configOption())
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--exit-code', 'exit with 1 when the environments differ (like git diff --exit-code)')
    .action(async (envA: string, envB: string, options) =>
      setExitCode(await (await import('./diff.js')).diffCommand(envA, envB, options, io)),
    );

  program
    .command('report')
    .description('the drift digest: what is new, what was resolved, what is oldest; printed or sent to Slack')
    .addOption(configOption())
    .addOption(
      new Option('--to <destination>', 'print the report, or send it to Slack through the outbox')
        .choices(REPORT_DESTINATIONS)
        .default('stdout'),
    )
    .addOption(
      new Option('--format <format>', 'with --to stdout: the format (slack prints the Block Kit message)').choices(
        REPORT_OUTPUT_FORMATS,
      ),
    )
    .action(async (options) => setExitCode(await (await import('./report.js')).reportCommand(options, io)));

  program
    .command('init')
    .description(
      'look at the repository and write a starting driftwatch.yaml: environments, sources, rules, references',
    )
    .addOption(
      new Option('-c, --config <file>', 'where to write it; the repository is its folder').default(
        undefined,
        './driftwatch.yaml',
      ),
    )
    .option('--force', 'replace an existing file')
    .option('--dry-run', 'print the file instead of writing it (what was found goes to standard error)')
    .action(async (options) => setExitCode(await (await import('./init.js')).initCommand(options, io)));

  program
    .command('serve')
    .description('run the service: the PR bot webhook, /healthz, /readyz and /metrics; settings from the environment')
    .addOption(configOption())
    .action(async (options) => {
      // Loaded on demand: fastify, pg-boss and prom-client are not worth loading for every other command.
      const { serveCommand } = await import('./serve.js');
      setExitCode(await serveCommand(options, io));
    });

  return program;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** What the process entry (bin/driftwatch.js) does before main: a one-shot command keeps a small young generation. */
export function prepareProcess(argv: readonly string[]): void {
  if (commandOf(argv) !== 'serve') keepYoungGenerationSmall();
}

/** Runs the CLI and returns the exit code. User mistakes print without a stack; anything else is a bug and says so. */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  let exitCode: number = EXIT.OK;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end with exit code 0; usage mistakes were already printed by commander.
      return error.exitCode === 0 ? EXIT.OK : EXIT.FAILED;
    }
    if (error instanceof DriftwatchError) {
      printProblems(io.stderr, error.problems);
      return EXIT.FAILED;
    }
    // A bug's message can quote what it choked on: scrubbed like every other error text.
    const detail = scrubSecrets(error instanceof Error ? (error.stack ?? error.message) : String(error));
    io.stderr.write(`driftwatch: internal error — this is a bug, please report it:\n${detail}\n`);
    return EXIT.FAILED;
  }
}
