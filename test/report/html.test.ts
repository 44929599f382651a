import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/report/build-report.js';
import { htmlReporter, htmlText, MATRIX_PAGE } from '../../src/report/html.js';
import type { MatrixRow, Report } from '../../src/report/report.js';
import { terminalSafe } from '../../src/report/terminal-safe.js';
import { snapshotOf } from '../helpers/snapshots.js';
import {
  cleanReport,
  HOSTILE_KEY,
  HOSTILE_MESSAGE,
  HOSTILE_VALUES,
  SENSITIVE_FINGERPRINT,
  sampleReport,
} from './sample-report.js';

const html = (report: Report) => htmlReporter(report, { color: false });

/** The JSON the page embeds for its script. */
function embeddedMatrix(page: string): {
  envs: string[];
  files: string[];
  rows: [string, number, (0 | [string, number, number, number, number])[]][];
} {
  const match = /<script type="application\/json" id="matrix-data">([^<]*)<\/script>/.exec(page);
  expect(match).not.toBeNull();
  return JSON.parse(match?.[1] ?? '');
}

/** The rows of the pre-rendered matrix body. */
function renderedRows(page: string): string[] {
  const body = /<tbody id="matrix-body">([\s\S]*?)<\/tbody>/.exec(page)?.[1] ?? '';
  return body.match(/<tr>[\s\S]*?<\/tr>/g) ?? [];
}

function manyKeys(count: number): MatrixRow[] {
  return Array.from({ length: count }, (_, index) => ({
    key: `key.${String(index).padStart(5, '0')}`,
    cells: [{ value: `v${index}`, sensitive: false, variant: 0, file: 'a.yaml', line: index + 1 }],
  }));
}

describe('report/html', () => {
  it('escapes keys, values, messages and files: no markup of theirs, no control characters', () => {
    const page = html(sampleReport());
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).not.toContain('<img src=x');
    expect(page).not.toContain('<b>now</b>');
    expect(page).not.toContain('\u001b');
    expect(page).not.toContain('\r');
    expect(page).toContain('<code>features.&lt;script&gt;alert(1)&lt;/script&gt;|new,checkout:%</code>');
    expect(page).toContain('on|off `tick` &lt;img src=x onerror=alert(1)&gt; &amp; more');
    // Control characters made visible, as on a terminal; a message's own line break kept as a break.
    expect(page).toContain('100%, on: yes\\r\\nnext\\x1b[31mred');
    expect(page).toContain('see [docs](1) &lt;b&gt;now&lt;/b&gt;<br>second line');
    // The page's own two script elements and nothing else.
    expect(page.match(/<script/g)).toHaveLength(2);
    expect(page.match(/<\/script/gi)).toHaveLength(2);
  });

  it('escapes quotes, so text cannot leave an attribute', () => {
    expect(htmlText(`"x" onmouseover='y' <a> & \u202e\u0007`)).toBe(
      '&quot;x&quot; onmouseover=&#39;y&#39; &lt;a&gt; &amp; \\u{202e}\\x07',
    );
    const page = html({
      ...cleanReport(),
      matrix: [
        {
          key: 'quote"key',
          cells: [{ value: 'v', sensitive: false, variant: 0, file: `x" onmouseover="alert(1)`, line: 1 }],
        },
      ],
    });
    expect(page).toContain('title="x&quot; onmouseover=&quot;alert(1):1"');
    expect(page).not.toContain('" onmouseover="');
  });

  it('escapes any text as terminalSafe plus entities, fast path or not', () => {
    const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(htmlText(text)).toBe(terminalSafe(text).replace(/[&<>"']/g, (char) => entities[char] as string));
      }),
      { numRuns: 2000 },
    );
  });

  it('embeds the matrix as JSON that no value can break out of', () => {
    const page = html(sampleReport());
    const data = embeddedMatrix(page);
    expect(data.envs).toEqual(['development', 'staging', 'production']);
    const hostile = data.rows.find(([key]) => key === HOSTILE_KEY);
    expect(hostile?.[2]).toEqual([
      0,
      [HOSTILE_VALUES.staging, 0, data.files.indexOf('config/staging/flags.yaml'), 4, 0],
      ['100%, on: yes\\r\\nnext\\x1b[31mred', 1, data.files.indexOf('config/production/flags, 100%.yaml'), 4, 0],
    ]);
    // Flags: 1 missing somewhere, 2 differs, 4 secret.
    expect(Object.fromEntries(data.rows.map(([key, flags]) => [key, flags]))).toEqual({
      TZ: 1,
      'cache.ttl': 3,
      'db.password': 5,
      [HOSTILE_KEY]: 3,
      'log.prefix': 0,
      'oauth.global.client_id': 1,
    });
    const raw = /id="matrix-data">([^<]*)</.exec(page)?.[1] ?? '';
    expect(raw).not.toMatch(/[<>&\u2028\u2029]/);
  });

  it('shows a secret by its fingerprint only, marked as secret', () => {
    const page = html(sampleReport());
    const row = renderedRows(page).find((candidate) => candidate.includes('db.password')) ?? '';
    expect(row).toContain(`<span class="badge">secret</span> ${SENSITIVE_FINGERPRINT}`);
    expect(row).toContain('<td class="status">missing, secret</td>');
  });

  it('never holds a secret built through the report: only what the snapshot lets be shown', () => {
    const canary = 'canary-html-4d2b91';
    const staging = snapshotOf('staging', {
      'db.password': { secret: canary },
      'db.url': {
        value: 'postgres://app:****@db/app',
        secret: `postgres://app:${canary}@db/app`,
        reason: 'url-password',
      },
      'app.name': 'shop',
      retries: 3,
    });
    const production = snapshotOf('production', {
      'db.password': { secret: `${canary}-prod` },
      'app.name': 'shop',
      retries: '3',
    });
    const report = buildReport([staging, production], [], [], [], { matrix: true });
    const page = html(report);
    expect(page).not.toContain(canary);
    const rows = Object.fromEntries(embeddedMatrix(page).rows.map(([key, flags, cells]) => [key, { flags, cells }]));
    expect(rows['db.password']?.cells.map((cell) => (cell === 0 ? 0 : cell[0]))).toEqual([
      expect.stringMatching(/^fp:[0-9a-f]{8}$/),
      expect.stringMatching(/^fp:[0-9a-f]{8}$/),
    ]);
    expect(rows['db.url']?.cells[0]).toEqual([
      expect.stringMatching(/^postgres:\/\/app:\*\*\*\*@db\/app \(fp:[0-9a-f]{8}\)$/),
      0,
      0,
      3,
      1,
    ]);
    // 3 and "3" print alike but differ in type: two variants.
    expect(rows.retries).toEqual({
      flags: 2,
      cells: [
        ['3', 0, 0, 4, 0],
        ['3', 1, 1, 3, 0],
      ],
    });
    expect(rows['app.name']?.flags).toBe(0);
  });

  it('is self-contained: no URL to load, and a policy that allows only its own style and script', () => {
    const page = html(sampleReport());
    // Every tag is the page's own (text is escaped): none of them loads anything.
    expect(page).not.toMatch(/<[a-z][^>]*\s(src|srcset|action|poster|data|background)=/i);
    expect(page.match(/href="[^"]*"/g)?.every((href) => href.startsWith('href="#'))).toBe(true);
    expect(page).not.toMatch(/url\(|@import/);
    const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page)?.[1] ?? '';
    expect(policy).toContain("default-src 'none'");
    const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    const style = /<style>([\s\S]*?)<\/style>/.exec(page)?.[1] ?? '';
    const script = /<script>([\s\S]*?)<\/script>/.exec(page)?.[1] ?? '';
    expect(policy).toContain(`style-src ${hash(style)}`);
    expect(policy).toContain(`script-src ${hash(script)}`);
  });

  it('groups findings by severity, errors first, and keeps baseline findings apart', () => {
    const page = html(sampleReport());
    const headings = [...page.matchAll(/<h3 class="(\w+)">([^<]+)<\/h3>/g)].map((match) => match[2]);
    expect(headings).toEqual(['Errors (2)', 'Warnings (2)', 'Notices (1)']);
    expect(page).toContain('<details><summary>1 known from baseline (not counted)</summary>');
    expect(page).toContain('<code>config/production/app.yaml:14:3</code> (production)');
    expect(page).toContain('<code>deploy/development.env</code> (development)');
    expect(page).toContain(`${htmlText(HOSTILE_MESSAGE.split('\n')[0] ?? '')}<br>second line: yes, \`really\``);
  });

  it("lists each environment's sources with their status and what went wrong", () => {
    const page = html(sampleReport());
    const production = page.slice(page.indexOf('<h3>production'));
    expect(production).toContain('<span class="count">398 keys from 3 sources, 2 could not be read</span>');
    expect(production).toContain(
      '<code>config/production/*.yaml</code></td><td><span class="badge error">error</span><ul class="problems"><li>config/production/broken.yaml:3:7: could not parse YAML: bad indentation of a mapping entry</li></ul>',
    );
    expect(production).toContain('<code>deploy/production.env</code></td><td><span class="badge ok">ok</span></td>');
    expect(page).toContain('<section id="errors" class="errors">');
  });

  it('pre-renders the first page of the matrix and says, without JavaScript, what is left out', () => {
    const page = html({ ...cleanReport(), matrix: manyKeys(MATRIX_PAGE * 2 + 50) });
    const rows = renderedRows(page);
    expect(rows).toHaveLength(MATRIX_PAGE);
    expect(rows[0]).toContain('<code>key.00000</code>');
    expect(rows.at(-1)).toContain(`<code>key.${String(MATRIX_PAGE - 1).padStart(5, '0')}</code>`);
    expect(embeddedMatrix(page).rows).toHaveLength(MATRIX_PAGE * 2 + 50);
    expect(page).toContain(`Keys 1–${MATRIX_PAGE} of ${MATRIX_PAGE * 2 + 50}; page 1 of 3.`);
    expect(page).toMatch(/<noscript><p class="note">Without JavaScript this page shows the first 200 of 450 keys/);
    // The controls need the script: hidden until it runs.
    expect(page).toContain('<form id="matrix-controls" class="controls" hidden>');

    const small = html({ ...cleanReport(), matrix: manyKeys(3) });
    expect(renderedRows(small)).toHaveLength(3);
    expect(small).not.toContain('<noscript>');
    expect(small).toContain('Keys 1–3 of 3.');
  });

  it('shows none without a matrix in the report, which checks build only when asked', () => {
    const report = buildReport([snapshotOf('staging', { a: 1 })], [], [], []);
    expect(report.matrix).toBeUndefined();
    expect(html(report)).toContain('This report holds no key matrix.');
  });

  it('shows no matrix when the check could not be completed, and says why', () => {
    const { matrix: _, ...withoutMatrix } = sampleReport();
    const page = html(withoutMatrix);
    expect(page).toContain('No matrix: the check could not be completed');
    expect(page).not.toContain('id="matrix-data"');
    const incomplete = buildReport(
      [snapshotOf('staging', { a: 1 })],
      [],
      [{ source: 'staging.yaml', message: 'could not be read' }],
      [],
      { matrix: true },
    );
    expect(incomplete.matrix).toBeUndefined();
  });

  it('counts the matrix by status', () => {
    expect(html(sampleReport())).toContain(
      '<p>6 keys: 1 equal everywhere, 2 differ, 5 missing somewhere, 1 secret.</p>',
    );
  });
});
