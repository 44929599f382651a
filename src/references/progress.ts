import type { ScanProgress } from './scan.js';

export interface ProgressStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
}

export interface ProgressOptions {
  /** Overrides `stream.isTTY`. */
  readonly isTTY?: boolean;
  /** Default `process.env`; progress is off when `CI` is set (to anything but `false` or `0`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Milliseconds, for throttling redraws; default `performance.now`. */
  readonly now?: () => number;
}

/** Scans shorter than this print nothing: a flash of progress is noise. */
const QUIET_MS = 1000;
const REDRAW_MS = 100;

/**
 * An `onProgress` for `scanReferences` that draws `scanning: 12,345 files,
 * 48.2 MB/s` on one line of a terminal, redrawn in place at most ten times a
 * second, and erased when the scan is done. Silent when the stream is not a
 * TTY, in CI, and during the first second.
 */
export function progressPrinter(
  stream: ProgressStream,
  options: ProgressOptions = {},
): (progress: ScanProgress) => void {
  const env = options.env ?? process.env;
  const enabled = (options.isTTY ?? stream.isTTY === true) && !isCI(env);
  if (!enabled) return () => {};
  const now = options.now ?? (() => performance.now());
  let shownWidth = 0;
  let lastDrawn = Number.NEGATIVE_INFINITY;
  return (progress) => {
    if (progress.done) {
      if (shownWidth > 0) stream.write(`\r${' '.repeat(shownWidth)}\r`);
      shownWidth = 0;
      return;
    }
    if (progress.elapsedMs < QUIET_MS) return;
    const time = now();
    if (time - lastDrawn < REDRAW_MS) return;
    lastDrawn = time;
    const line = formatProgress(progress);
    stream.write(`\r${line.padEnd(shownWidth)}`);
    shownWidth = Math.max(shownWidth, line.length);
  };
}

export function formatProgress(progress: ScanProgress): string {
  const seconds = progress.elapsedMs / 1000;
  const megabytesPerSecond = seconds > 0 ? progress.bytes / 1e6 / seconds : 0;
  return `scanning: ${progress.files.toLocaleString('en-US')} files, ${megabytesPerSecond.toFixed(1)} MB/s`;
}

function isCI(env: Readonly<Record<string, string | undefined>>): boolean {
  const value = env.CI;
  return value !== undefined && value !== '' && value !== 'false' && value !== '0';
}
