/**
 * The html report at 10,000 keys × 4 environments (1% of values differ, 0.5%
 * of keys missing from one environment, 2% secret; parity and equal rules
 * over every key, a few hundred findings):
 * - building the page, as a ratio to the JSON reporter over the same report
 *   (which leaves the matrix out) and to `JSON.stringify` of the whole report,
 *   matrix included: the floor under writing the same data out;
 * - the key matrix the report carries (`reportMatrix`), as a ratio to the bare
 *   key alignment the rules already do: what a check that is asked for it
 *   (`--format html`) pays;
 * - the page's size;
 * - with Chromium (/usr/bin/chromium, or DRIFTWATCH_BENCH_CHROMIUM): the time
 *   from navigation to the first frame after load, as a ratio to the same
 *   page with every row of the matrix pre-rendered and no script (the other
 *   design the page could have had), and the time a filter takes to redraw.
 * Targets: page ≤ 4× `JSON.stringify` of the whole report; matrix ≤ 3× the
 * alignment; first frame ≤ 0.5× the fully pre-rendered page's.
 */
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { alignSnapshots } from '../src/compare/matrix.js';
import type { Problem } from '../src/errors.js';
import { buildReport } from '../src/report/build-report.js';
import { htmlReporter, htmlText } from '../src/report/html.js';
import { jsonReporter } from '../src/report/json.js';
import type { Report } from '../src/report/report.js';
import { reportMatrix } from '../src/report/report-matrix.js';
import { runRules } from '../src/rules/engine.js';
import { parsePack } from '../src/rules/load-packs.js';
import { displayValue } from '../src/snapshot/display.js';
import type { Entry, Snapshot } from '../src/snapshot/snapshot.js';
import type { BenchLine } from './bench.js';

const ENVS = ['development', 'staging', 'production', 'sandbox'];
const KEYS = 10_000;
const CHROMIUM = process.env.DRIFTWATCH_BENCH_CHROMIUM ?? '/usr/bin/chromium';

function entry(key: string, value: string, line: number, sensitive: boolean): Entry {
  return {
    key,
    type: 'string',
    ...(sensitive ? {} : { value }),
    // Distinct per value: equal values, equal fingerprints, as in real snapshots.
    fingerprint: `${value.length.toString(16)}${Buffer.from(value).toString('hex')}`.padEnd(64, '0').slice(0, 64),
    sensitive,
    origin: { source: 'config/*.yaml', sourceKind: 'path', file: `config/${key.split('.')[0]}.yaml`, line },
  };
}

function environments(): Snapshot[] {
  return ENVS.map((env, envIndex) => {
    const entries = new Map<string, Entry>();
    for (let i = 0; i < KEYS; i++) {
      const key = `svc${String(i % 40).padStart(2, '0')}.settings.key${String(i).padStart(5, '0')}`;
      if (i % 200 === envIndex) continue; // 0.5% missing from one environment
      const value = i % 100 === envIndex + 10 ? `${env}-value-${i}` : `value-${i}`;
      entries.set(key, entry(key, value, i + 1, i % 50 === 0));
    }
    const sorted = new Map([...entries].sort(([a], [b]) => (a < b ? -1 : 1)));
    return { env, takenAt: '2026-11-25T00:00:00Z', entries: sorted, sources: [] };
  });
}

function report(snapshots: readonly Snapshot[]): Report {
  const problems: Problem[] = [];
  const pack = 'rules:\n  - {id: parity, kind: parity}\n  - {id: same, kind: equal, keys: ["**"]}';
  const rules = parsePack(pack, 'bench.yaml', { environments: ENVS }, problems);
  if (problems.length > 0) throw new Error(`bench pack: ${JSON.stringify(problems)}`);
  const { findings, rules: ran } = runRules(rules, alignSnapshots(snapshots), { now: new Date('2026-11-25') });
  return buildReport(snapshots, findings, [], ran, { matrix: true });
}

/**
 * The other design: the same page with every row of the matrix pre-rendered
 * (status and cells as the first page draws them) and no JSON or script.
 */
function prerenderedPage(html: string, snapshots: readonly Snapshot[]): string {
  const rows = alignSnapshots(snapshots).rows.map(
    (row) =>
      `<tr><th scope="row"><code>${htmlText(row.key)}</code></th><td class="status">-</td>${row.entries
        .map((cell) =>
          cell === undefined
            ? '<td class="cell missing">missing</td>'
            : `<td class="cell v0" title="${htmlText(cell.origin.file)}:${cell.origin.line}">${htmlText(displayValue(cell))}</td>`,
        )
        .join('')}</tr>`,
  );
  const whole = html
    .replace(/<tbody id="matrix-body">[\s\S]*?<\/tbody>/, () => `<tbody id="matrix-body">${rows.join('\n')}</tbody>`)
    .replace(/<script type="application\/json" id="matrix-data">[^<]*<\/script>/, '')
    .replace(/<script>[\s\S]*?<\/script>/, '');
  if (whole.includes('<script')) throw new Error('bench: the pre-rendered page still has a script');
  return whole;
}

const FIRST_FRAME =
  'new Promise((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(performance.now()))))';
const FILTER = `(() => {
  const query = document.getElementById('matrix-query');
  const start = performance.now();
  query.value = 'key0123';
  query.dispatchEvent(new Event('input'));
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - start))));
})()`;

function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
}

async function chromiumLines(files: { html: string; plain: string }): Promise<BenchLine[]> {
  if (!existsSync(CHROMIUM)) {
    return [{ name: `Chromium render: skipped, no Chromium at ${CHROMIUM}`, value: 0, unit: '' }];
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const firstFrame = async (file: string) => {
      await page.goto(`file://${file}`, { waitUntil: 'load' });
      return (await page.evaluate(FIRST_FRAME)) as number;
    };
    // Interleaved round by round, so a busy machine slows both alike.
    const ours: number[] = [];
    const plain: number[] = [];
    for (let round = 0; round < 7; round++) {
      ours.push(await firstFrame(files.html));
      plain.push(await firstFrame(files.plain));
    }
    const oursMs = median(ours);
    const plainMs = median(plain);
    const filters: number[] = [];
    for (let round = 0; round < 5; round++) {
      await page.goto(`file://${files.html}`, { waitUntil: 'load' });
      filters.push((await page.evaluate(FILTER)) as number);
    }
    const filter = median(filters);
    return [
      { name: 'Chromium: html report, navigation to first frame', value: oursMs, unit: 'ms' },
      { name: 'Chromium: same page, every row pre-rendered', value: plainMs, unit: 'ms' },
      {
        name: 'first frame / every row pre-rendered',
        value: oursMs / plainMs,
        unit: 'x',
        note: 'target <= 0.5',
        ok: oursMs / plainMs <= 0.5,
      },
      { name: 'Chromium: a text filter redrawn (key0123)', value: filter, unit: 'ms' },
    ];
  } finally {
    await browser.close();
  }
}

export async function bench(): Promise<BenchLine[]> {
  const snapshots = environments();
  const built = report(snapshots);
  let html = '';
  let json = '';
  // Round by round, each measure after the other, so a busy machine slows all alike.
  const times = {
    html: [] as number[],
    json: [] as number[],
    everything: [] as number[],
    matrix: [] as number[],
    align: [] as number[],
  };
  const timed = (into: number[], fn: () => unknown) => {
    (globalThis as { gc?: () => void }).gc?.();
    const start = process.hrtime.bigint();
    fn();
    into.push(Number(process.hrtime.bigint() - start) / 1e6);
  };
  for (let round = 0; round < 16; round++) {
    timed(times.html, () => {
      html = htmlReporter(built, { color: false });
    });
    timed(times.json, () => {
      json = jsonReporter(built, { color: false });
    });
    timed(times.everything, () => JSON.stringify(built));
    timed(times.matrix, () => reportMatrix(snapshots));
    timed(times.align, () => alignSnapshots(snapshots));
  }
  // The first round warms up.
  const [htmlMs, jsonMs, everythingMs, matrixMs, alignMs] = [
    times.html,
    times.json,
    times.everything,
    times.matrix,
    times.align,
  ].map((list) => median(list.slice(1))) as [number, number, number, number, number];

  const dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-bench-html-'));
  try {
    const files = { html: path.join(dir, 'report.html'), plain: path.join(dir, 'plain.html') };
    writeFileSync(files.html, html);
    writeFileSync(files.plain, prerenderedPage(html, snapshots));
    const mib = (file: string) => statSync(file).size / 2 ** 20;
    return [
      {
        name: `html report, 4 envs x ${KEYS.toLocaleString('en')} keys (${built.findings.length} findings)`,
        value: htmlMs,
        unit: 'ms',
      },
      { name: 'json report, same report', value: jsonMs, unit: 'ms' },
      { name: 'html / json', value: htmlMs / jsonMs, unit: 'x', note: 'the json reporter leaves the matrix out' },
      { name: 'JSON.stringify of the whole report, matrix included', value: everythingMs, unit: 'ms' },
      {
        name: 'html / JSON.stringify of the whole report',
        value: htmlMs / everythingMs,
        unit: 'x',
        note: 'target <= 4',
        ok: htmlMs / everythingMs <= 4,
      },
      { name: 'html report size', value: mib(files.html), unit: 'MiB' },
      { name: 'same page, every row pre-rendered, no script', value: mib(files.plain), unit: 'MiB' },
      { name: 'json report size', value: Buffer.byteLength(json) / 2 ** 20, unit: 'MiB' },
      { name: 'key matrix in the report (reportMatrix)', value: matrixMs, unit: 'ms' },
      { name: 'bare key alignment, same snapshots', value: alignMs, unit: 'ms' },
      {
        name: 'matrix / alignment',
        value: matrixMs / alignMs,
        unit: 'x',
        note: 'target <= 3',
        ok: matrixMs / alignMs <= 3,
      },
      ...(await chromiumLines(files)),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
