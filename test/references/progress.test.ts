import { describe, expect, it } from 'vitest';
import { formatProgress, progressPrinter } from '../../src/references/progress.js';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, write: (chunk: string) => writes.push(chunk) } };
}

describe('references/progress', () => {
  it('formats files with separators and throughput in MB/s', () => {
    expect(formatProgress({ files: 12_345, bytes: 96_400_000, elapsedMs: 2000 })).toBe(
      'scanning: 12,345 files, 48.2 MB/s',
    );
    expect(formatProgress({ files: 0, bytes: 0, elapsedMs: 0 })).toBe('scanning: 0 files, 0.0 MB/s');
  });

  it('draws on a TTY after the first second, in place, throttled, and erases itself at the end', () => {
    const { writes, stream } = fakeStream(true);
    let clock = 0;
    const onProgress = progressPrinter(stream, { env: {}, now: () => clock });
    onProgress({ files: 10, bytes: 1_000_000, elapsedMs: 500 });
    expect(writes).toEqual([]);
    clock = 1200;
    onProgress({ files: 2000, bytes: 12_000_000, elapsedMs: 1200 });
    clock = 1250;
    onProgress({ files: 2100, bytes: 12_500_000, elapsedMs: 1250 });
    clock = 1400;
    onProgress({ files: 2400, bytes: 14_000_000, elapsedMs: 1400 });
    onProgress({ files: 2500, bytes: 14_000_000, elapsedMs: 1450, done: true });
    expect(writes).toEqual([
      '\rscanning: 2,000 files, 10.0 MB/s',
      '\rscanning: 2,400 files, 10.0 MB/s',
      `\r${' '.repeat('scanning: 2,400 files, 10.0 MB/s'.length)}\r`,
    ]);
  });

  it('pads a shorter line over a longer one', () => {
    const { writes, stream } = fakeStream(true);
    let clock = 0;
    const onProgress = progressPrinter(stream, { env: {}, now: () => (clock += 1000) });
    onProgress({ files: 1, bytes: 900_000_000, elapsedMs: 1500 });
    onProgress({ files: 2, bytes: 900_000_000, elapsedMs: 90_000 });
    expect(writes[1]).toBe(`\r${'scanning: 2 files, 10.0 MB/s'.padEnd((writes[0] as string).length - 1)}`);
  });

  it('prints nothing when the stream is not a TTY, in CI, or when the scan is quick', () => {
    const piped = fakeStream(false);
    progressPrinter(piped.stream, { env: {} })({ files: 1, bytes: 1, elapsedMs: 5000 });
    expect(piped.writes).toEqual([]);

    const ci = fakeStream(true);
    progressPrinter(ci.stream, { env: { CI: 'true' } })({ files: 1, bytes: 1, elapsedMs: 5000 });
    expect(ci.writes).toEqual([]);

    const notReallyCi = fakeStream(true);
    progressPrinter(notReallyCi.stream, { env: { CI: 'false' }, now: () => 0 })({
      files: 1,
      bytes: 1,
      elapsedMs: 5000,
    });
    expect(notReallyCi.writes).toHaveLength(1);

    const quick = fakeStream(true);
    const onProgress = progressPrinter(quick.stream, { env: {} });
    onProgress({ files: 1, bytes: 1, elapsedMs: 300 });
    onProgress({ files: 1, bytes: 1, elapsedMs: 350, done: true });
    expect(quick.writes).toEqual([]);
  });

  it('lets isTTY override the stream', () => {
    const { writes, stream } = fakeStream(false);
    progressPrinter(stream, { isTTY: true, env: {}, now: () => 0 })({ files: 1, bytes: 0, elapsedMs: 2000 });
    expect(writes).toEqual(['\rscanning: 1 files, 0.0 MB/s']);
  });
});
