import { execFile } from 'node:child_process';
import path from 'node:path';
import picomatch from 'picomatch';
import { isDynamicPattern } from 'tinyglobby';
import * as z from 'zod';
import { SourceError } from '../errors.js';
import { formatDuration, printable } from './command.js';
import { commonSourceFields, type Source, type SourceContext } from './source.js';

export const GitSourceSpec = z.strictObject({
  /** A branch, tag, commit or any revision git understands (`origin/main`, `v1.4.0`, `HEAD~1`). */
  git: z
    .string()
    .min(1)
    // git would read `--output=...` as an option: argument injection from a config file.
    .refine((ref) => !ref.startsWith('-'), "a git ref cannot start with '-'"),
  /** A file or glob, relative to `repo` (which defaults to the directory of driftwatch.yaml). */
  path: z
    .string()
    .min(1)
    .refine((file) => !path.posix.isAbsolute(file) && !path.win32.isAbsolute(file), {
      error: 'path is relative to the repository directory (by default, the directory of driftwatch.yaml)',
    }),
  /** A directory inside the repository, relative to driftwatch.yaml. */
  repo: z.string().min(1).optional(),
  ...commonSourceFields,
});
export type GitSourceSpec = z.infer<typeof GitSourceSpec>;

const GIT_TIMEOUT_MS = 30_000;
/** execFile's default (1 MiB) is smaller than some real configuration files. */
const GIT_MAX_BUFFER = 64 * 1024 ** 2;
/**
 * Set by git hooks and some CI wrappers; they would make git ignore `-C` and
 * read another repository.
 */
const REPOSITORY_VARIABLES = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_COMMON_DIR', 'GIT_INDEX_FILE', 'GIT_PREFIX'];

function describeGit(spec: GitSourceSpec): string {
  const label = `git:${spec.git}:${spec.path}`;
  return spec.repo === undefined ? label : `${label} (repo ${spec.repo})`;
}

/**
 * Files as committed at a git ref, read with the real `git` (so every ref git
 * understands works, packed or not). Paths are relative to `repo`, as if
 * git ran there. A document's origin is the file's path relative to
 * driftwatch.yaml's folder, as for a `path` source: a finding then points at
 * the file in the repository (what code scanning and annotations attach to),
 * and the ref stays in the source's label (`git:production:config/app.yaml`).
 */
export const gitSource: Source<GitSourceSpec> = {
  kind: 'git',
  schema: GitSourceSpec,
  describe: describeGit,
  async read(spec, context) {
    const label = describeGit(spec);
    const ref = spec.git;
    const repo = spec.repo ?? '.';
    const repoLabel = `'${repo}'`;
    const git = gitRunner(path.resolve(context.configDir, repo), context.env, label);
    const prefix = await git(['rev-parse', '--show-prefix']);
    if (!prefix.ok) throw failure(label, `not a git repository: ${repoLabel}${gitSaid(prefix.stderr)}`);
    const repoFromTop = prefix.stdout.toString('utf8').trim();
    /** `config/app.yaml` from the top of the repository, as driftwatch.yaml's folder sees it. */
    const fromConfig = (file: string) =>
      path.posix.join(
        repo.split(path.win32.sep).join('/'),
        path.posix.relative(repoFromTop.replace(/\/$/, '') || '.', file),
      );
    const at: RefReader = {
      ref,
      git,
      fromConfig,
      fail: (message, file) => failure(label, message, file === undefined ? undefined : fromConfig(file)),
    };

    const verified = await at.git(['rev-parse', '--verify', '--end-of-options', `${ref}^{commit}`]);
    if (!verified.ok) throw at.fail(`ref '${ref}' not found in ${repoLabel}${gitSaid(verified.stderr)}`);

    // git paths are always '/'-separated, from the top of the repository.
    const target = path.posix.normalize(repoFromTop + spec.path.split(path.win32.sep).join('/'));
    if (target === '..' || target.startsWith('../')) throw at.fail(`'${spec.path}' is outside the repository`);

    const files = isDynamicPattern(spec.path) ? await matchFiles(at, target, spec.path) : [target];
    const documents = [];
    // One at a time: a glob can match hundreds of files, and each read is a process.
    for (const file of files) {
      documents.push({ origin: fromConfig(file), bytes: await readBlob(at, file) });
    }
    return documents;
  },
};

function failure(label: string, message: string, file?: string): SourceError {
  return new SourceError([{ source: label, ...(file === undefined ? {} : { file }), message }]);
}

/** What reading at one ref of one repository needs: the ref, a way to run git there, a way to fail. */
interface RefReader {
  readonly ref: string;
  readonly git: (args: readonly string[]) => Promise<GitResult>;
  /** A path from the top of the repository, relative to driftwatch.yaml's folder instead. */
  readonly fromConfig: (file: string) => string;
  /** `file` is from the top of the repository. */
  readonly fail: (message: string, file?: string) => SourceError;
}

/** The files at the ref that `pattern` (from the top of the repository) matches, sorted. */
async function matchFiles(at: RefReader, pattern: string, written: string): Promise<string[]> {
  // -z: names exactly as stored (no quoting of unusual characters); --full-tree: from the top, wherever git runs.
  const listing = await at.git(['ls-tree', '-r', '-z', '--full-tree', '--end-of-options', at.ref]);
  if (!listing.ok) throw at.fail(`cannot list the files at '${at.ref}'${gitSaid(listing.stderr)}`);
  const isMatch = picomatch(pattern, { dot: true });
  const files: string[] = [];
  for (const line of listing.stdout.toString('utf8').split('\0')) {
    const entry = parseTreeEntry(line);
    if (entry?.type === 'blob' && isMatch(entry.file)) files.push(entry.file);
  }
  if (files.length === 0) throw at.fail(`the glob '${written}' matched no files at '${at.ref}'`);
  return files.sort();
}

async function readBlob(at: RefReader, file: string): Promise<Buffer> {
  const object = `${at.ref}:${file}`;
  // `git show` would print a listing for a directory and run textconv filters; cat-file gives the bytes or fails.
  const type = await at.git(['cat-file', '-t', '--end-of-options', object]);
  if (!type.ok) throw at.fail(`file '${file}' not found at '${at.ref}'${gitSaid(type.stderr)}`, file);
  const kind = type.stdout.toString('utf8').trim();
  if (kind !== 'blob') throw at.fail(`'${file}' is a ${kind} at '${at.ref}', not a file`, file);
  const blob = await at.git(['cat-file', 'blob', '--end-of-options', object]);
  if (!blob.ok) throw at.fail(`cannot read '${file}' at '${at.ref}'${gitSaid(blob.stderr)}`, file);
  return blob.stdout;
}

/** `100644 blob <oid>\tconfig/app.yaml` */
function parseTreeEntry(line: string): { type: string; file: string } | undefined {
  const tab = line.indexOf('\t');
  if (tab < 0) return undefined;
  const type = line.slice(0, tab).split(' ')[1];
  return type === undefined ? undefined : { type, file: line.slice(tab + 1) };
}

/** ` (git: fatal: Needed a single revision)`: git's own first line, for whoever has to fix it. */
function gitSaid(stderr: string): string {
  const first = stderr
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line !== '');
  return first === undefined ? '' : ` (git: ${printable(first)})`;
}

/** stdout as bytes: a blob is decoded once, by the snapshot, as its source says. */
type GitResult = { readonly ok: true; readonly stdout: Buffer } | { readonly ok: false; readonly stderr: string };

/**
 * Runs git in `directory`. A non-zero exit is a result for the caller to
 * phrase; git missing, hanging or flooding is a `SourceError` at once.
 */
function gitRunner(
  directory: string,
  env: SourceContext['env'],
  label: string,
): (args: readonly string[]) => Promise<GitResult> {
  const gitEnv: Record<string, string> = { GIT_TERMINAL_PROMPT: '0' };
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && !REPOSITORY_VARIABLES.includes(name)) gitEnv[name] = value;
  }
  return (args) =>
    new Promise((resolve, reject) => {
      execFile(
        'git',
        ['-C', directory, ...args],
        { encoding: 'buffer', env: gitEnv, timeout: GIT_TIMEOUT_MS, maxBuffer: GIT_MAX_BUFFER, windowsHide: true },
        (error, stdout, stderr) => {
          if (!error) {
            resolve({ ok: true, stdout });
            return;
          }
          const fail = (message: string) => reject(new SourceError([{ source: label, message }]));
          const code = (error as NodeJS.ErrnoException).code as string | number | undefined;
          if (code === 'ENOENT') return fail('git is not installed (or not on PATH)');
          if (code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
            return fail(`git printed more than ${GIT_MAX_BUFFER / 1024 ** 2}MiB for '${args.join(' ')}'`);
          }
          if (error.killed) return fail(`git timed out after ${formatDuration(GIT_TIMEOUT_MS)}`);
          resolve({ ok: false, stderr: stderr.toString('utf8') });
        },
      );
    });
}
