/**
 * `npm run bench`: every benchmark, each reporting its figures as ratios to a
 * baseline measured in the same run, so the numbers mean something on any machine.
 */
import type { Bench, BenchLine } from './bench.js';

const modules: Record<string, () => Promise<{ bench: Bench }>> = {
  snapshot: () => import('./snapshot.js'),
  compare: () => import('./compare.js'),
  references: () => import('./references.js'),
  store: () => import('./store.js'),
  'pull-request': () => import('./pull-request.js'),
  report: () => import('./report.js'),
  schedules: () => import('./schedules.js'),
  html: () => import('./html.js'),
  'check-process': () => import('./check-process.js'),
  server: () => import('./server.js'),
};

const only = process.argv.slice(2);
let failed = false;
for (const [name, load] of Object.entries(modules)) {
  if (only.length > 0 && !only.includes(name)) continue;
  process.stdout.write(`\n## ${name}\n`);
  const lines: BenchLine[] = await (await load()).bench();
  for (const line of lines) {
    const verdict = line.ok === undefined ? '' : line.ok ? '  ok' : '  MISSED';
    if (line.ok === false) failed = true;
    const value = Number.isInteger(line.value) ? String(line.value) : line.value.toFixed(2);
    process.stdout.write(
      `${line.name.padEnd(58)} ${value.padStart(10)} ${line.unit}${verdict}${line.note ? `  (${line.note})` : ''}\n`,
    );
  }
}
process.exitCode = failed ? 1 : 0;
