import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { commandOf } from '../src/one-shot-heap.js';

const MODULE = pathToFileURL(path.resolve(import.meta.dirname, '../src/one-shot-heap.ts')).href;

/** The young generation's size (MiB) after a child builds 600,000 objects that live to the end, as a check does. */
function youngGenerationAfterLargeBuild(keepSmall: boolean): number {
  const script = `
    import { getHeapSpaceStatistics } from 'node:v8';
    const { keepYoungGenerationSmall } = await import(${JSON.stringify(MODULE)});
    if (${keepSmall}) keepYoungGenerationSmall();
    const kept = [];
    for (let index = 0; index < 600_000; index++) kept.push({ key: 'KEY_' + index, value: String(index) });
    const young = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
    process.stdout.write(String(young.space_size / 1048576) + ' ' + kept.length);
  `;
  const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
  return Number(output.split(' ')[0]);
}

describe('one-shot-heap', () => {
  it('keeps the young generation from growing for a run that builds one large structure', () => {
    const grown = youngGenerationAfterLargeBuild(false);
    const kept = youngGenerationAfterLargeBuild(true);
    // Without it V8 grows the young generation several times over (16 MiB semi-spaces and more); with it, it stays put.
    expect(grown).toBeGreaterThan(4 * kept);
  });

  it('finds the command in the arguments: serve keeps V8 defaults', () => {
    expect(commandOf(['node', 'driftwatch', 'check', '-c', 'x.yaml'])).toBe('check');
    expect(commandOf(['node', 'driftwatch', '--version'])).toBeUndefined();
    expect(commandOf(['node', 'driftwatch', 'serve', '-c', 'driftwatch.yaml'])).toBe('serve');
  });
});
