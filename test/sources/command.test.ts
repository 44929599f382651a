import { mkdir, mkdtemp, readFile, realpath, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceError } from '../../src/errors.js';
import { CommandSourceSpec, commandSource, formatByteSize, formatDuration } from '../../src/sources/command.js';
import { diskFileTree } from '../../src/sources/file-tree.js';
import { asText } from './as-text.js';

// Node itself is the one program every machine running these tests has.
const node = process.execPath;
let configDir: string;

beforeAll(async () => {
  configDir = await realpath(await mkdtemp(path.join(os.tmpdir(), 'driftwatch-command-')));
  await mkdir(path.join(configDir, 'deploy'));
});

afterAll(async () => {
  await rm(configDir, { recursive: true, force: true });
});

async function read(raw: Record<string, unknown>, env: Record<string, string | undefined> = process.env) {
  return asText(
    await commandSource.read(CommandSourceSpec.parse(raw), { configDir, env, files: diskFileTree(configDir) }),
  );
}

/** `node -e SCRIPT ARGS...` */
function script(code: string, ...args: string[]): string[] {
  return [node, '-e', code, ...args];
}

/** Whether the process `pid` is gone (reaped, not a zombie) within `ms`. */
async function goneWithin(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function sourceErrorOf(promise: Promise<unknown>): Promise<SourceError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(SourceError);
  return error as SourceError;
}

describe('sources/command', () => {
  it("returns the command's stdout as one document named after the command", async () => {
    const command = script('console.log("a: 1")');
    expect(await read({ command })).toEqual([{ origin: `command: ${node} -e 'console.log("a: 1")'`, text: 'a: 1\n' }]);
  });

  it('names a command by its arguments joined by spaces', () => {
    const spec = CommandSourceSpec.parse({ command: ['kubectl', 'get', 'configmap', 'app', '-o', 'yaml'] });
    expect(commandSource.describe(spec)).toBe('command: kubectl get configmap app -o yaml');
  });

  it('passes arguments as they are, with no shell to interpret them', async () => {
    const [document] = await read({
      command: script('console.log(JSON.stringify(process.argv.slice(1)))', '$(echo hi)', '*', 'a;b|c', '`id`'),
    });
    expect(document && 'text' in document ? JSON.parse(document.text) : undefined).toEqual([
      '$(echo hi)',
      '*',
      'a;b|c',
      '`id`',
    ]);
  });

  it('gives the command the context environment and no other', async () => {
    const [document] = await read(
      { command: script('console.log(JSON.stringify(process.env))') },
      { DRIFTWATCH_PROBE: 'seen', DROPPED: undefined },
    );
    const seen = document && 'text' in document ? JSON.parse(document.text) : {};
    expect(seen.DRIFTWATCH_PROBE).toBe('seen');
    expect(seen.HOME).toBeUndefined();
    expect('DROPPED' in seen).toBe(false);
  });

  it('runs in the config directory, or in cwd relative to it', async () => {
    const printCwd = script('console.log(process.cwd())');
    const [atConfig] = await read({ command: printCwd });
    const [atDeploy] = await read({ command: printCwd, cwd: 'deploy' });
    expect(atConfig && 'text' in atConfig ? atConfig.text.trim() : '').toBe(configDir);
    expect(atDeploy && 'text' in atDeploy ? atDeploy.text.trim() : '').toBe(path.join(configDir, 'deploy'));
  });

  it('gives the command no stdin', async () => {
    const [document] = await read({ command: script('console.log(require("fs").readFileSync(0).length)') });
    expect(document && 'text' in document ? document.text : '').toBe('0\n');
  });

  it('fails on a non-zero exit, with the last lines of stderr, trimmed and capped', async () => {
    const code = `
      for (let i = 1; i <= 10; i++) console.error('  line ' + i + '  ');
      console.error('x'.repeat(400));
      console.error('');
      process.exit(3);`;
    const error = await sourceErrorOf(read({ command: script(code) }));
    const message = error.problems[0]?.message ?? '';
    expect(message).toBe(
      [
        'exited with code 3; stderr ends with:',
        '  line 7',
        '  line 8',
        '  line 9',
        '  line 10',
        `  ${'x'.repeat(300)}…`,
      ].join('\n'),
    );
    expect(error.problems[0]?.source).toMatch(/^command: /);
  });

  it('strips colour codes and control characters from the stderr it quotes', async () => {
    const error = await sourceErrorOf(
      read({ command: script('console.error("\\u001b[31merror:\\u001b[0m bad\\u0007 input"); process.exit(2)') }),
    );
    expect(error.problems[0]?.message).toBe('exited with code 2; stderr ends with:\n  error: bad input');
  });

  it('says so when a failing command printed nothing on stderr', async () => {
    const error = await sourceErrorOf(read({ command: script('process.exit(1)') }));
    expect(error.problems[0]?.message).toBe('exited with code 1 (nothing on stderr)');
  });

  it('kills a command that runs past its timeout', async () => {
    const started = Date.now();
    const error = await sourceErrorOf(read({ command: script('setTimeout(() => {}, 60_000)'), timeout: '200ms' }));
    expect(error.problems[0]?.message).toBe('timed out after 200ms');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('finishes when a command exits, though a background child holds its output open, and stops that child', async () => {
    const started = Date.now();
    const [document] = await read({ command: ['sh', '-c', 'sleep 30 & echo "CHILD=$!"; echo A=1'] });
    expect(Date.now() - started).toBeLessThan(5000);
    const text = document && 'text' in document ? document.text : '';
    expect(text).toMatch(/^CHILD=\d+\nA=1\n$/);
    expect(await goneWithin(Number(/CHILD=(\d+)/.exec(text)?.[1]), 3000)).toBe(true);
  });

  it('kills the whole process group of a command that times out', async () => {
    const marker = path.join(configDir, 'child.pid');
    const error = await sourceErrorOf(
      read({ command: ['sh', '-c', `sleep 30 & echo $! > '${marker}'; sleep 30`], timeout: '500ms' }),
    );
    expect(error.problems[0]?.message).toBe('timed out after 500ms');
    const child = Number((await readFile(marker, 'utf8')).trim());
    expect(child).toBeGreaterThan(0);
    expect(await goneWithin(child, 3000)).toBe(true);
  });

  it('sends SIGKILL to a command that ignores SIGTERM', async () => {
    const started = Date.now();
    const ignoresTerm = script('process.on("SIGTERM", () => {}); setInterval(() => {}, 1000)');
    const error = await sourceErrorOf(read({ command: ignoresTerm, timeout: '1s' }));
    expect(error.problems[0]?.message).toBe('timed out after 1s');
    // One second of timeout, then the two-second grace.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
  });

  it('kills a command whose output passes maxBytes', async () => {
    const started = Date.now();
    const endless = script('setInterval(() => process.stdout.write("x".repeat(65536)), 1)');
    const error = await sourceErrorOf(read({ command: endless, maxBytes: '1KiB' }));
    expect(error.problems[0]?.message).toBe('printed more than 1KiB (maxBytes) on stdout');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('fails when the command is not found', async () => {
    const error = await sourceErrorOf(read({ command: ['driftwatch-no-such-command', 'get'] }));
    expect(error.problems).toEqual([
      { source: 'command: driftwatch-no-such-command get', message: 'command not found: driftwatch-no-such-command' },
    ]);
  });

  it('fails when the working directory does not exist, rather than blaming the command', async () => {
    const error = await sourceErrorOf(read({ command: script('1'), cwd: 'missing' }));
    expect(error.problems[0]?.message).toBe('working directory not found: missing');
  });

  it('fails closed when a successful command prints nothing', async () => {
    const error = await sourceErrorOf(read({ command: script('console.error("No resources found")') }));
    expect(error.problems[0]?.message).toBe(
      "the command succeeded but printed nothing on stdout (set 'allowEmpty: true' on the source if that can be right)",
    );
  });

  it('returns the empty output of a command whose source allows it', async () => {
    expect(await read({ command: script('process.stdout.write("\\n")'), allowEmpty: true })).toEqual([
      { origin: `command: ${node} -e process.stdout.write("\\n")`, text: '\n' },
    ]);
  });

  it('rejects a command written as a shell string', () => {
    const result = CommandSourceSpec.safeParse({ command: 'kubectl get configmap app' });
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([
      'command must be a list of arguments (no shell): [kubectl, get, configmap]',
    ]);
  });

  it('rejects an empty command, an empty program and unquoted numbers', () => {
    expect(CommandSourceSpec.safeParse({ command: [] }).success).toBe(false);
    expect(CommandSourceSpec.safeParse({ command: ['', 'x'] }).success).toBe(false);
    expect(CommandSourceSpec.safeParse({ command: ['sleep', 5] }).error?.issues[0]?.message).toBe(
      "every argument must be a string; quote numbers and booleans in YAML ('5', 'true')",
    );
  });

  it('parses timeout and maxBytes with their defaults', () => {
    expect(CommandSourceSpec.parse({ command: ['true'] })).toEqual({
      command: ['true'],
      timeout: 60_000,
      maxBytes: 10 * 1024 ** 2,
    });
    expect(CommandSourceSpec.parse({ command: ['true'], timeout: '2m', maxBytes: '5MB' })).toMatchObject({
      timeout: 120_000,
      maxBytes: 5_000_000,
    });
  });
});

describe('sources/command formatDuration and formatByteSize', () => {
  it('writes durations and sizes the way driftwatch.yaml does', () => {
    expect([200, 1500, 1000, 30_000, 60_000, 180_000, 7_200_000, 10_800_000].map(formatDuration)).toEqual([
      '200ms',
      '1500ms',
      '1s',
      '30s',
      '60s',
      '3m',
      '120m',
      '3h',
    ]);
    expect([10 * 1024 ** 2, 1024, 5_000_000, 1500, 1].map(formatByteSize)).toEqual([
      '10MiB',
      '1KiB',
      '5MB',
      '1500B',
      '1B',
    ]);
  });
});
