import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';

const temporary: string[] = [];

afterEach(() => {
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory holding these files (text or bytes), removed after the test. */
export function project(files: Record<string, string | Uint8Array>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-cli-'));
  temporary.push(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

/** The exit code and stderr of a run that failed closed on bad input: never a stack trace, never "internal error". */
export function expectCleanFailure(result: { code: number; stderr: string }): void {
  if (result.code !== 2 || /internal error|\n\s+at /.test(result.stderr)) {
    throw new Error(`expected a clean exit 2, got ${result.code}:\n${result.stderr}`);
  }
}
