import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import type { Problem } from '../src/errors.js';
import { parsePack } from '../src/rules/load-packs.js';
import { run } from './cli/io.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const SCRIPTS = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>;

/** The fingerprint key every sample is made with, so that `fp:` values in the README can be checked. */
const SAMPLE_FINGERPRINT_KEY = '0f'.repeat(32);

/** The YAML code blocks of the README that begin with the given text. */
function yamlBlocks(start: string): string[] {
  return [...README.matchAll(/```yaml\n([\s\S]*?)```/g)]
    .map((match) => match[1] as string)
    .filter((block) => block.startsWith(start));
}

/**
 * An output block of the README and what it is the output of, written in a
 * comment just above it:
 *
 *     <!-- output of: driftwatch diff staging production (in examples/onboarding-outage) -->
 *
 * `a && b` runs commands in turn and shows all they print; `(in DIR)` is the
 * folder they run in (default: the repository root); `(at 2026-10-09T06:00:00Z)`
 * is the clock. `npm run NAME` runs the package.json script, which must be
 * `node bin/driftwatch.js ...`. A block that is not output says so:
 * `<!-- illustration -->`. In a sample, a line `...` stands for any number of
 * lines of the real output.
 */
interface Sample {
  /** 1-based line of the README where the block starts. */
  readonly line: number;
  readonly body: string;
  readonly commands: readonly (readonly string[])[];
  readonly cwd: string;
  readonly at?: string;
}

const ANNOTATION = /<!--\s*output of:\s*(.+?)\s*-->/;

function outputBlocks(): { samples: Sample[]; unannotated: number[] } {
  const samples: Sample[] = [];
  const unannotated: number[] = [];
  for (const match of README.matchAll(/^```(text|json)\n([\s\S]*?)^```$/gm)) {
    const line = README.slice(0, match.index).split('\n').length;
    const before = README.slice(0, match.index).trimEnd().split('\n').at(-1) ?? '';
    if (/<!--\s*illustration\s*-->/.test(before)) continue;
    const annotation = ANNOTATION.exec(before);
    if (!annotation) {
      unannotated.push(line);
      continue;
    }
    let spec = annotation[1] as string;
    let cwd = '.';
    let at: string | undefined;
    spec = spec.replace(/\s*\(in ([^)]+)\)/, (_, dir: string) => {
      cwd = dir;
      return '';
    });
    spec = spec.replace(/\s*\(at ([^)]+)\)/, (_, time: string) => {
      at = time;
      return '';
    });
    const commands = spec.split(' && ').map((command) => argumentsOf(command.trim(), line));
    samples.push({ line, body: match[2] as string, commands, cwd, ...(at ? { at } : {}) });
  }
  return { samples, unannotated };
}

/** `driftwatch diff a b` → `[diff, a, b]`; `npm run demo` → the arguments its script gives driftwatch. */
function argumentsOf(command: string, line: number): string[] {
  if (/['"\\$`|;<>]/.test(command)) throw new Error(`README.md:${line}: keep sample commands to plain words`);
  const script = /^npm run (\S+)$/.exec(command)?.[1];
  const words = (script === undefined ? command : (SCRIPTS[script] ?? '')).split(/\s+/);
  if (script !== undefined && words.slice(0, 2).join(' ') === 'node bin/driftwatch.js') return words.slice(2);
  if (words[0] === 'driftwatch') return words.slice(1);
  throw new Error(`README.md:${line}: '${command}' is not a driftwatch command or an npm script that runs one`);
}

/**
 * Whether `actual` is what `sample` shows: the same lines in the same order,
 * where a line `...` stands for any number of lines. Fails the test at the
 * first part of the sample the output does not have.
 */
function expectSampleMatches(actual: string, sample: Sample): void {
  const lines = actual.replace(/\n$/, '').split('\n');
  const parts: string[][] = [[]];
  for (const line of sample.body.replace(/\n$/, '').split('\n')) {
    if (line.trim() === '...') parts.push([]);
    else parts.at(-1)?.push(line);
  }
  let position = 0;
  for (const [index, part] of parts.entries()) {
    if (part.length === 0) continue;
    const anchoredStart = index === 0;
    const anchoredEnd = index === parts.length - 1;
    let found = -1;
    for (let start = position; start + part.length <= lines.length; start++) {
      if (
        part.every((line, offset) => lines[start + offset] === line) &&
        (!anchoredEnd || start + part.length === lines.length)
      ) {
        found = start;
        break;
      }
      if (anchoredStart) break;
    }
    // On a mismatch, show the part against the output from where it should have been.
    expect(found === -1 ? lines.slice(position).join('\n') : part.join('\n'), `README.md:${sample.line}`).toBe(
      part.join('\n'),
    );
    position = found + part.length;
  }
}

describe('README', () => {
  it('shows a driftwatch.yaml that driftwatch accepts', () => {
    const [config] = yamlBlocks('version: 1');
    expect(config).toBeDefined();
    const parsed = parseConfig(config as string, '/repo/driftwatch.yaml');
    expect(parsed.environments.map((environment) => environment.name)).toEqual(['staging', 'production']);
    expect(parsed.environments[1]?.sources.map((source) => source.kind)).toEqual([
      'path',
      'git',
      'url',
      'command',
      'env',
    ]);
    expect(parsed.references?.extractors).toHaveLength(1);
  });

  it('shows rule packs that load without a problem', () => {
    const packs = yamlBlocks('rules:');
    expect(packs.length).toBeGreaterThan(0);
    for (const pack of packs) {
      const problems: Problem[] = [];
      const rules = parsePack(pack, 'README.md', { environments: ['staging', 'production'] }, problems);
      expect(problems).toEqual([]);
      expect(rules.length).toBeGreaterThan(0);
    }
  });

  it('says of every output block what it is the output of', () => {
    const { samples, unannotated } = outputBlocks();
    expect(unannotated.map((line) => `README.md:${line}`)).toEqual([]);
    expect(samples.length).toBeGreaterThanOrEqual(6);
  });
});

describe('README output samples are what the commands print', () => {
  const temporary: string[] = [];
  afterEach(() => vi.useRealTimers());
  afterAll(() => {
    for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh copy of this repository's examples in a git repository of its own, laid out as in the checkout. */
  async function checkoutCopy(): Promise<string> {
    const dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-readme-'));
    temporary.push(dir);
    cpSync(path.join(ROOT, 'examples'), path.join(dir, 'examples'), {
      recursive: true,
      filter: (source) => path.basename(source) !== '.driftwatch',
    });
    await promisify(execFile)('git', ['init', '--quiet'], { cwd: dir });
    return dir;
  }

  for (const sample of outputBlocks().samples) {
    const shown = sample.commands.map((args) => `driftwatch ${args.join(' ')}`).join(' && ');
    it(`README.md:${sample.line}: ${shown}`, async () => {
      const dir = await checkoutCopy();
      if (sample.at) vi.useFakeTimers({ toFake: ['Date'], now: new Date(sample.at) });
      let stdout = '';
      for (const args of sample.commands) {
        const result = await run(path.join(dir, sample.cwd), args, {
          DRIFTWATCH_FINGERPRINT_KEY: SAMPLE_FINGERPRINT_KEY,
        });
        expect(result.stderr).not.toMatch(/internal error/);
        stdout += result.stdout;
      }
      expectSampleMatches(stdout, sample);
    });
  }
});
