import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

/** One `RECORD` line of the fixture's recording analysis. */
export interface AnalysisRecord {
  readonly event: 'started' | 'aborted' | 'completed';
  readonly pid: number;
  readonly head: string;
  readonly delivery: string;
  readonly attempt: number;
  readonly reason?: string;
}

export interface ServiceProcess {
  readonly child: ChildProcess;
  /** Every JSON log line of its standard output. */
  readonly logs: Record<string, unknown>[];
  readonly records: AnalysisRecord[];
  /** Standard error, RECORD lines aside. */
  stderr(): string;
  /** Resolves with the port once it logs `listening`; rejects if it exits first. */
  readonly port: Promise<number>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): void;
}

const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'serve.ts');
/** tsx's loader by path: the service may run in a directory from which the package cannot be found. */
const TSX = pathToFileURL(path.resolve(import.meta.dirname, '../../node_modules/tsx/dist/loader.mjs')).href;

/**
 * Spawns `node command serve args…` — by default the serve fixture through
 * tsx — in `cwd`, with `env` on top of a clean environment.
 */
export function spawnService(
  env: Record<string, string>,
  command?: readonly string[],
  cwd?: string,
  args: readonly string[] = [],
): ServiceProcess {
  const argv = command ?? ['--import', TSX, FIXTURE];
  const child = spawn(process.execPath, [...argv, 'serve', ...args], {
    ...(cwd === undefined ? {} : { cwd }),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  const records: AnalysisRecord[] = [];
  let stderr = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  const port = new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        entry = { unparsed: line };
      }
      logs.push(entry);
      if (entry.msg === 'listening') resolve(entry.port as number);
    });
    void exited.then(({ code }) => reject(new Error(`the service exited (${code}) before listening: ${stderr}`)));
  });
  port.catch(() => undefined);
  createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) => {
    if (line.startsWith('RECORD ')) records.push(JSON.parse(line.slice('RECORD '.length)) as AnalysisRecord);
    else stderr += `${line}\n`;
  });
  return {
    child,
    logs,
    records,
    stderr: () => stderr,
    port,
    exited,
    kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}
