import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';

/** What a command may touch of the outside world; tests pass their own. */
export interface Io {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
}

export interface OutputStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export function processIo(): Io {
  return { cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr };
}

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function wantsColor(stream: OutputStream, env: Io['env']): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

/**
 * Writes through a temporary file and a rename, so a reader never sees half a
 * report. A file that cannot be written is a `UsageError` naming it as the
 * user wrote it (`shown`), never a stack trace.
 */
export async function writeFileAtomic(file: string, text: string, shown = file): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, text, 'utf8');
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new UsageError(`cannot write ${shown}: ${describeWriteError(error)}`);
  }
}

/**
 * Refuses, before any work is done, a file that cannot be written: a folder
 * that does not exist, a directory in the file's place, a folder we may not
 * write in. The check then never runs for a report that would be lost.
 */
export async function assertWritable(file: string, shown = file): Promise<void> {
  const dir = path.dirname(file);
  const folder = await stat(dir).catch(() => undefined);
  if (!folder) throw new UsageError(`cannot write ${shown}: the folder ${path.dirname(shown)} does not exist`);
  if (!folder.isDirectory()) throw new UsageError(`cannot write ${shown}: ${path.dirname(shown)} is not a folder`);
  if ((await stat(file).catch(() => undefined))?.isDirectory()) {
    throw new UsageError(`cannot write ${shown}: it is a directory; name a file`);
  }
  try {
    await access(dir, constants.W_OK);
  } catch (error) {
    throw new UsageError(`cannot write ${shown}: ${describeWriteError(error)}`);
  }
}

function describeWriteError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'its folder does not exist';
  if (code === 'EISDIR') return 'it is a directory; name a file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOTDIR') return 'a part of its path is not a folder';
  if (code === 'ENOSPC') return 'no space left on the device';
  return error instanceof Error ? error.message : String(error);
}
