import { type ChildProcess, spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { isMainThread } from 'node:worker_threads';
import * as z from 'zod';
import { ByteSize, Duration } from '../config/units.js';
import { SourceError } from '../errors.js';
import { scrubSecrets } from '../snapshot/scrub.js';
import { isBlank } from './is-blank.js';
import { commonSourceFields, type Source } from './source.js';

const NO_SHELL_MESSAGE = 'command must be a list of arguments (no shell): [kubectl, get, configmap]';

export const CommandSourceSpec = z.strictObject({
  command: z
    .array(
      // YAML turns `5` into a number and `0755` into 755: ask for quotes rather than guess the text.
      z.string({ error: "every argument must be a string; quote numbers and booleans in YAML ('5', 'true')" }),
      {
        error: (issue) =>
          issue.code === 'invalid_type' && typeof issue.input === 'string' ? NO_SHELL_MESSAGE : undefined,
      },
    )
    .min(1, NO_SHELL_MESSAGE)
    .refine((argv) => argv[0] !== '', 'the program to run (the first argument) cannot be empty'),
  /** Relative to driftwatch.yaml. */
  cwd: z.string().min(1).optional(),
  timeout: Duration.default(60_000),
  maxBytes: ByteSize.default(10 * 1024 ** 2),
  ...commonSourceFields,
});
export type CommandSourceSpec = z.infer<typeof CommandSourceSpec>;

/** How long a command gets to exit after SIGTERM before it is sent SIGKILL. */
const KILL_GRACE_MS = 2000;
const STDERR_TAIL_LINES = 5;
const STDERR_LINE_LIMIT = 300;
/** Only the end of stderr is reported; keep a little more than five long lines of it. */
const STDERR_KEPT_BYTES = 16 * 1024;

/** `kubectl get configmap app -o yaml`; an argument with spaces (or none at all) is quoted so the words stay apart. */
function commandLine(argv: readonly string[]): string {
  return argv.map((argument) => (argument === '' || /\s/.test(argument) ? `'${argument}'` : argument)).join(' ');
}

/** The label names the command in every report: a token among its arguments (`-H 'Authorization: Bearer …'`) is masked. */
function describeCommand(spec: CommandSourceSpec): string {
  return `command: ${scrubSecrets(commandLine(spec.command))}`;
}

/**
 * The stdout of a program run directly (never through a shell), as one
 * document. A command that fails, hangs, floods or prints nothing is an error:
 * `kubectl get` prints nothing and exits 0 when nothing matched.
 */
export const commandSource: Source<CommandSourceSpec> = {
  kind: 'command',
  schema: CommandSourceSpec,
  describe: describeCommand,
  async read(spec, context) {
    const label = describeCommand(spec);
    const cwd = path.resolve(context.configDir, spec.cwd ?? '.');
    // spawn reports a missing cwd as ENOENT, which would read as "command not found".
    const cwdIsDirectory = await stat(cwd).then(
      (stats) => stats.isDirectory(),
      () => false,
    );
    if (!cwdIsDirectory) {
      throw new SourceError([{ source: label, message: `working directory not found: ${spec.cwd ?? '.'}` }]);
    }
    const stdout = await runCommand({
      argv: spec.command,
      cwd,
      env: definedVariables(context.env),
      timeoutMs: spec.timeout,
      maxBytes: spec.maxBytes,
      label,
    });
    if (isBlank(stdout) && spec.allowEmpty !== true) {
      throw new SourceError([
        {
          source: label,
          message:
            "the command succeeded but printed nothing on stdout (set 'allowEmpty: true' on the source if that can be right)",
        },
      ]);
    }
    return [{ origin: label, bytes: stdout }];
  },
};

function definedVariables(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const defined: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined) defined[name] = value;
  }
  return defined;
}

interface CommandRun {
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: Record<string, string>;
  readonly timeoutMs: number;
  readonly maxBytes: number;
  /** Names the source in errors. */
  readonly label: string;
}

/**
 * Runs `argv` to completion and returns its stdout; every way it can go wrong is a `SourceError`.
 *
 * The command runs in a process group of its own, so that what it starts is
 * ours to stop: `sh -c "sleep 30 & echo A=1"` is done when `sh` exits and its
 * output is read, not when the `sleep` holding the pipe open lets go. Then,
 * and on a timeout, the whole group is killed: nothing it started outlives it.
 */
function runCommand(run: CommandRun): Promise<Buffer> {
  const program = run.argv[0] as string;
  const failWith = (message: string) => new SourceError([{ source: run.label, message }]);

  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawn(program, run.argv.slice(1), {
        cwd: run.cwd,
        env: run.env,
        shell: false,
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
        detached: PROCESS_GROUPS,
      });
    } catch (error) {
      // Invalid arguments (a NUL byte, say) are refused before anything starts.
      reject(failWith(`cannot run ${program}: ${error instanceof Error ? error.message : String(error)}`));
      return;
    }
    const group = processGroupOf(child);

    const stdoutChunks: Buffer[] = [];
    let stdoutBytes = 0;
    let stderrTail = Buffer.alloc(0);
    /** Set when we decided the run failed and are waiting for the process to go. */
    let failure: string | undefined;
    let exited = false;
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    let timeoutTimer: NodeJS.Timeout | undefined;
    let drainTimer: NodeJS.Timeout | undefined;

    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timeoutTimer);
      clearTimeout(killTimer);
      clearTimeout(drainTimer);
      // A grandchild may still hold the pipes open; we are done listening either way.
      child.stdout?.destroy();
      child.stderr?.destroy();
      // Whatever the command left behind in its group goes with it.
      group.kill('SIGKILL');
      group.release();
      outcome();
    };

    const fail = (message: string) => {
      if (failure !== undefined || settled) return;
      failure = message;
      if (exited) {
        settle(() => reject(failWith(message)));
        return;
      }
      group.kill('SIGTERM');
      killTimer = setTimeout(() => group.kill('SIGKILL'), KILL_GRACE_MS);
    };

    /** The command exited and its output is read (or the drain gave up): its exit status decides. */
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (failure !== undefined) {
        settle(() => reject(failWith(failure as string)));
        return;
      }
      if (code === 0) {
        settle(() => resolve(Buffer.concat(stdoutChunks)));
        return;
      }
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      settle(() => reject(failWith(withStderr(how, stderrTail))));
    };

    timeoutTimer = setTimeout(() => fail(`timed out after ${formatDuration(run.timeoutMs)}`), run.timeoutMs);

    child.stdout?.on('data', (chunk: Buffer) => {
      if (failure !== undefined) return;
      stdoutBytes += chunk.length;
      if (stdoutBytes > run.maxBytes) {
        fail(`printed more than ${formatByteSize(run.maxBytes)} (maxBytes) on stdout`);
        return;
      }
      stdoutChunks.push(chunk);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      const joined = Buffer.concat([stderrTail, chunk]);
      stderrTail = joined.length > STDERR_KEPT_BYTES ? joined.subarray(joined.length - STDERR_KEPT_BYTES) : joined;
    });

    child.on('error', (error: NodeJS.ErrnoException) => {
      // After a successful start, 'error' only means a kill failed; 'exit' still follows.
      if (child.pid !== undefined) return;
      settle(() => reject(failWith(describeSpawnError(error, program))));
    });
    child.on('exit', (code, signal) => {
      exited = true;
      if (failure !== undefined) {
        settle(() => reject(failWith(failure as string)));
        return;
      }
      // It finished in time: what is left is reading the pipes. Background children still
      // holding them are stopped, and the wait for the last bytes is bounded.
      clearTimeout(timeoutTimer);
      group.kill('SIGTERM');
      drainTimer = setTimeout(() => finish(code, signal), DRAIN_MS);
    });
    child.on('close', (code, signal) => finish(code, signal));
  });
}

/**
 * Process groups are POSIX; on Windows a command is killed alone. (`detached`
 * is what makes the child lead a group of its own.)
 */
const PROCESS_GROUPS = process.platform !== 'win32';

/** How long the output of a command that has exited may take to arrive. */
const DRAIN_MS = 2000;

interface ProcessGroup {
  /** Signals every process of the group; a group that is gone is not an error. */
  kill(signal: NodeJS.Signals): void;
  /** The command is over: driftwatch's own exit no longer needs to stop it. */
  release(): void;
}

/** The groups of commands still running, stopped if driftwatch itself is interrupted or exits. */
const runningGroups = new Set<number>();

function processGroupOf(child: ChildProcess): ProcessGroup {
  const pid = child.pid;
  if (!PROCESS_GROUPS || pid === undefined) {
    return { kill: (signal) => void child.kill(signal), release: () => undefined };
  }
  runningGroups.add(pid);
  watchForInterruption();
  return {
    kill(signal) {
      try {
        process.kill(-pid, signal);
      } catch {
        // ESRCH: every process of the group has already gone.
      }
    },
    release() {
      runningGroups.delete(pid);
      if (runningGroups.size === 0) stopWatchingForInterruption();
    },
  };
}

/**
 * A group of its own no longer receives the terminal's Ctrl-C: pass it on.
 * When driftwatch is the only listener, the signal is raised again once the
 * groups are stopped, so that driftwatch still ends the way it would have.
 */
const INTERRUPTIONS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const satisfies readonly NodeJS.Signals[];
let watching = false;

function stopGroups(signal: NodeJS.Signals): void {
  for (const pid of runningGroups) {
    try {
      process.kill(-pid, signal);
    } catch {
      // Already gone.
    }
  }
}

function onInterruption(signal: NodeJS.Signals): void {
  stopGroups('SIGKILL');
  runningGroups.clear();
  stopWatchingForInterruption();
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function onExit(): void {
  stopGroups('SIGKILL');
}

function watchForInterruption(): void {
  // Signals reach only the main thread.
  if (watching || !isMainThread) return;
  watching = true;
  for (const signal of INTERRUPTIONS) process.on(signal, onInterruption);
  process.on('exit', onExit);
}

function stopWatchingForInterruption(): void {
  if (!watching) return;
  watching = false;
  for (const signal of INTERRUPTIONS) process.off(signal, onInterruption);
  process.off('exit', onExit);
}

function describeSpawnError(error: NodeJS.ErrnoException, program: string): string {
  if (error.code === 'ENOENT') return `command not found: ${program}`;
  if (error.code === 'EACCES') return `permission denied: ${program}`;
  return `cannot run ${program}: ${error.message}`;
}

/** `exited with code 1`, then the last lines of stderr, trimmed and capped: enough to act on, short enough to post. */
function withStderr(what: string, stderr: Buffer): string {
  // Scrubbed whole, before it is cut into lines: `curl -v` prints `Authorization: Bearer …`, a PEM block spans lines.
  const lines = scrubSecrets(stderr.toString('utf8'))
    .split(/\r?\n/)
    .map(printable)
    .filter((line) => line !== '')
    .slice(-STDERR_TAIL_LINES)
    .map((line) => (line.length > STDERR_LINE_LIMIT ? `${line.slice(0, STDERR_LINE_LIMIT)}…` : line));
  if (lines.length === 0) return `${what} (nothing on stderr)`;
  return `${what}; stderr ends with:\n${lines.map((line) => `  ${line}`).join('\n')}`;
}

/**
 * A line of someone else's output, fit to quote in a report: colour codes and
 * other control characters removed (they would repaint a terminal), trimmed.
 */
export function printable(line: string): string {
  return (
    line
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
      .replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
      .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
      .trim()
  );
}

/** `30s`, `500ms`, `5m`: the way durations are written in driftwatch.yaml. Seconds up to two minutes read best. */
export function formatDuration(milliseconds: number): string {
  if (milliseconds % 1000 !== 0) return `${milliseconds}ms`;
  const seconds = milliseconds / 1000;
  if (seconds <= 120 || seconds % 60 !== 0) return `${seconds}s`;
  const minutes = seconds / 60;
  if (minutes <= 120 || minutes % 60 !== 0) return `${minutes}m`;
  return `${minutes / 60}h`;
}

/** `10MiB`, `5MB`, `1500B`: the way sizes are written in driftwatch.yaml. */
export function formatByteSize(bytes: number): string {
  const units: readonly [string, number][] = [
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
    ['KiB', 1024],
    ['GB', 1000 ** 3],
    ['MB', 1000 ** 2],
    ['KB', 1000],
  ];
  for (const [unit, size] of units) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return `${bytes}B`;
}
