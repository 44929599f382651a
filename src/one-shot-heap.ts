import { setFlagsFromString } from 'node:v8';

/**
 * Keeps V8's young generation at its starting size, for a process that runs
 * one command and exits (`check`, `snapshot`, `diff`, `report`..., the Action).
 * Such a run builds one large structure that lives to the end: V8 reads the
 * high survival as a reason to grow the young generation, to 16 MiB
 * semi-spaces on Node 20 and 64 MiB on Node 24 on a machine with much memory,
 * and then copies every survivor through that space. Kept small, survivors
 * reach the old generation at once. Measured on the check of two 100,000-key
 * files (npm run bench, check-process): Node 24 1.67 s and 228 MiB → 1.43 s
 * and 164 MiB; Node 20 1.64 s and 174 MiB → 1.58 s and 145 MiB. `serve` keeps
 * V8's defaults: a service's short-lived request objects are what a large
 * young generation is for. The growth factor is read each time V8 considers
 * growing, so setting it after start-up takes effect.
 */
export function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}

/** The command `argv` runs (`node driftwatch.js check ...` → `check`), if any: the first word that is not an option. */
export function commandOf(argv: readonly string[]): string | undefined {
  return argv.slice(2).find((arg) => !arg.startsWith('-'));
}
