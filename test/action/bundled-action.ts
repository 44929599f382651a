import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TEST_FINGERPRINT_KEY } from '../helpers/fingerprint-key.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * The Node the runner starts `runs.using: node24` with. CI names a Node 24
 * binary in DRIFTWATCH_TEST_NODE24 (.ci/run installs one); without it the
 * tests run the bundle on the current Node, and their titles say which.
 */
export const ACTION_NODE = process.env.DRIFTWATCH_TEST_NODE24 || process.execPath;

export async function actionNodeVersion(): Promise<string> {
  return (await execFileText(ACTION_NODE, ['--version'], {})).stdout.trim();
}

/**
 * What the runner sees of this repository when a workflow `uses:` it, of what
 * the Action reads: action.yml, package.json (the root the bundle finds the
 * packs from), the committed bundle and the built-in rule packs — copied on
 * their own, with no node_modules anywhere above them, so the bundle must
 * carry everything it needs.
 */
export function actionCheckout(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-action-'));
  cpSync(path.join(ROOT, 'action.yml'), path.join(dir, 'action.yml'));
  cpSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
  cpSync(path.join(ROOT, 'action', 'dist'), path.join(dir, 'action', 'dist'), { recursive: true });
  cpSync(path.join(ROOT, 'rules'), path.join(dir, 'rules'), { recursive: true });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface ActionRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** What the step wrote to $GITHUB_STEP_SUMMARY. */
  readonly summary: string;
  /** The step outputs, read back from $GITHUB_OUTPUT as the runner reads them. */
  readonly outputs: Record<string, string>;
  /** The raw $GITHUB_OUTPUT file. */
  readonly outputFile: string;
}

/**
 * Runs the bundled entry as the runner does: `node action/dist/index.js` in
 * the checkout (`cwd`), each input as `INPUT_<NAME>`, fresh files for the job
 * summary and the outputs, and a temporary folder of its own.
 */
export async function runBundledAction(
  checkout: string,
  cwd: string,
  inputs: Record<string, string>,
  env: Record<string, string> = {},
): Promise<ActionRun> {
  const runner = mkdtempSync(path.join(tmpdir(), 'driftwatch-runner-'));
  try {
    const summaryFile = path.join(runner, 'step_summary');
    const outputFile = path.join(runner, 'output');
    writeFileSync(summaryFile, '');
    writeFileSync(outputFile, '');
    const inputEnv = Object.fromEntries(
      Object.entries(inputs).map(([name, value]) => [`INPUT_${name.replace(/ /g, '_').toUpperCase()}`, value]),
    );
    const result = await execFileText(ACTION_NODE, [path.join(checkout, 'action', 'dist', 'index.js')], {
      cwd,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: runner,
        GITHUB_ACTIONS: 'true',
        GITHUB_WORKSPACE: cwd,
        GITHUB_STEP_SUMMARY: summaryFile,
        GITHUB_OUTPUT: outputFile,
        RUNNER_TEMP: runner,
        DRIFTWATCH_FINGERPRINT_KEY: TEST_FINGERPRINT_KEY,
        ...inputEnv,
        ...env,
      },
    });
    const rawOutputs = readFileSync(outputFile, 'utf8');
    const outputs = parseOutputFile(rawOutputs);
    // The JSON report the `report` output names lives in the runner's temporary folder: read it before it goes.
    const report = outputs.report ? readFileSync(outputs.report, 'utf8') : undefined;
    return {
      ...result,
      summary: readFileSync(summaryFile, 'utf8'),
      outputs: { ...outputs, ...(report !== undefined ? { 'report-contents': report } : {}) },
      outputFile: rawOutputs,
    };
  } finally {
    rmSync(runner, { recursive: true, force: true });
  }
}

/** `name<<DELIMITER`, the value's lines, the delimiter: the runner's reading of $GITHUB_OUTPUT. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const header = /^([^<=]+)<<(.+)$/.exec(lines[index] as string);
    if (!header) {
      if (lines[index] !== '') throw new Error(`not an output entry: ${lines[index]}`);
      continue;
    }
    const [, name = '', delimiter = ''] = header;
    const end = lines.indexOf(delimiter, index + 1);
    if (end === -1) throw new Error(`output '${name}' has no closing delimiter`);
    outputs[name] = lines.slice(index + 1, end).join('\n');
    index = end;
  }
  return outputs;
}

function execFileText(
  file: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv },
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { ...options, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
