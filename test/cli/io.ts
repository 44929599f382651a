import type { Io } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { TEST_FINGERPRINT_KEY } from '../helpers/fingerprint-key.js';

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process with captured output, as `driftwatch ...args` in `cwd`. */
export async function run(cwd: string, args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    cwd,
    env: { DRIFTWATCH_FINGERPRINT_KEY: TEST_FINGERPRINT_KEY, ...env },
    stdout: { write: (text: string) => (stdout += text), isTTY: false },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
  };
  const code = await main(['node', 'driftwatch', ...args], io);
  return { code, stdout, stderr };
}
