import { createHash } from 'node:crypto';
import { compareCodeUnits } from '../compare-code-units.js';
import { formatProblem } from '../errors.js';
import { plural } from '../plural.js';
import type { Finding, FindingLocation, MatrixCell, MatrixRow, Report, Reporter, Severity } from './report.js';
import { SEVERITIES } from './report.js';
import { terminalSafe } from './terminal-safe.js';

/**
 * One self-contained page (a CI artifact): the findings by severity, the
 * environment × key matrix and each environment's sources. No network, no
 * external assets; a Content-Security-Policy allows only this file's own
 * style and script, by hash, so nothing in the data can load or run anything
 * even if it slipped past the escaping.
 *
 * The matrix travels as JSON in a `<script type="application/json">` and is
 * drawn a page of MATRIX_PAGE rows at a time, filtered by text and status.
 * The first page is in the HTML itself, so the page reads without JavaScript
 * (a note says what is left out). Measured at 10,000 keys × 4 environments
 * (`npm run bench -- html`), pre-rendering every row instead took two to
 * four times longer to the first frame in Chromium and made a file twice
 * the size.
 *
 * Every text (keys, values, messages, files, names) is attacker-reachable:
 * control characters and bidirectional overrides are made visible
 * (`terminalSafe`) and markup characters escaped; the script sets text only
 * through `textContent`. Values are what the report holds: a secret is its
 * short fingerprint, never its value.
 */
export const htmlReporter: Reporter = (report) => {
  const current = report.findings.filter((finding) => finding.baseline !== true);
  const known = report.findings.filter((finding) => finding.baseline === true);
  const title = `driftwatch: ${outcome(report, current.length, known.length)}`;
  return `${[
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`,
    '<meta name="referrer" content="no-referrer">',
    `<title>${htmlText(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<header><h1>driftwatch report</h1><p class="outcome ${outcomeClass(report, current.length)}">${htmlText(outcome(report, current.length, known.length))}</p>`,
    '<nav><a href="#findings">Findings</a> · <a href="#matrix">Matrix</a> · <a href="#sources">Sources</a></nav></header>',
    '<main>',
    errorsSection(report),
    findingsSection(report, current, known),
    matrixSection(report),
    sourcesSection(report),
    '</main>',
    `<script>${SCRIPT}</script>`,
    '</body>',
    '</html>',
  ]
    .filter((part) => part !== '')
    .join('\n')}\n`;
};

/** Rows the matrix shows at once; the rest a page away, or a filter away. */
export const MATRIX_PAGE = 200;

const SECTION_TITLES: Record<Severity, string> = { error: 'Errors', warning: 'Warnings', notice: 'Notices' };

/** Row flags, shared with the script: which statuses a key has across the environments. */
const MISSING = 1;
const DIFFERS = 2;
const SECRET = 4;

function outcome(report: Report, currentCount: number, knownCount: number): string {
  const { summary } = report;
  const counts = `${plural(summary.error, 'error')}, ${plural(summary.warning, 'warning')}, ${plural(summary.notice, 'notice')}`;
  const known = knownCount > 0 ? ` (${knownCount} known from baseline)` : '';
  if (report.errors.length > 0) return `the check could not be completed; so far ${counts}${known}`;
  if (currentCount > 0) return `${counts}${known}`;
  if (report.unchecked) return `no rule failed${known}; some differences were not checked by any rule`;
  return knownCount > 0 ? `no new drift found${known}` : 'no drift found';
}

function outcomeClass(report: Report, currentCount: number): string {
  if (report.errors.length > 0 || report.summary.error > 0) return 'error';
  if (report.summary.warning > 0) return 'warning';
  return currentCount > 0 ? 'notice' : 'ok';
}

function errorsSection(report: Report): string {
  if (report.errors.length === 0) return '';
  const items = report.errors.map((error) => {
    const env = error.env ? ` <span class="env">(${htmlText(error.env)})</span>` : '';
    return `<li>${htmlText(formatProblem(error))}${env}</li>`;
  });
  return [
    '<section id="errors" class="errors">',
    `<h2>The check could not be completed (${htmlText(plural(report.errors.length, 'source error'))})</h2>`,
    '<p>Findings may be missing: rules do not run over environments that were not read whole.</p>',
    `<ul>${items.join('')}</ul>`,
    '</section>',
  ].join('\n');
}

function findingsSection(report: Report, current: readonly Finding[], known: readonly Finding[]): string {
  const envOrder = report.environments.map((environment) => environment.name);
  const parts = ['<section id="findings">', `<h2>Findings (${current.length})</h2>`];
  if (current.length === 0) parts.push('<p class="none">No findings.</p>');
  for (const severity of SEVERITIES) {
    const findings = current.filter((finding) => finding.severity === severity);
    if (findings.length === 0) continue;
    parts.push(
      `<h3 class="${severity}">${SECTION_TITLES[severity]} (${findings.length})</h3>`,
      findingTable(findings, envOrder),
    );
  }
  if (known.length > 0) {
    parts.push(
      `<details><summary>${known.length} known from baseline (not counted)</summary>`,
      findingTable(known, envOrder),
      '</details>',
    );
  }
  if (report.unchecked && report.errors.length === 0) parts.push(`<p class="unchecked">${uncheckedText(report)}</p>`);
  parts.push('</section>');
  return parts.join('\n');
}

function uncheckedText(report: Report): string {
  const unchecked = report.unchecked as NonNullable<Report['unchecked']>;
  const parts = [
    ...(unchecked.values > 0
      ? [`${plural(unchecked.values, 'value')} ${unchecked.values === 1 ? 'differs' : 'differ'}`]
      : []),
    ...(unchecked.missing > 0
      ? [`${plural(unchecked.missing, 'key')} ${unchecked.missing === 1 ? 'is' : 'are'} missing from some`]
      : []),
  ];
  const envs = unchecked.envs.join(', ');
  return htmlText(`Not checked: ${parts.join(' and ')} between ${envs} without a rule (see the matrix).`);
}

function findingTable(findings: readonly Finding[], envOrder: readonly string[]): string {
  const rows = findings.map((finding) => {
    const baseline = finding.baseline === true ? ' <span class="badge">baseline</span>' : '';
    return [
      `<tr id="finding-${htmlText(finding.id)}">`,
      `<td><span class="badge ${finding.severity}">${finding.severity}</span>${baseline}</td>`,
      `<td><code>${htmlText(finding.rule)}</code></td>`,
      `<td><a class="to-matrix" href="#matrix"><code>${htmlText(finding.key)}</code></a></td>`,
      `<td>${finding.envs.map(htmlText).join(', ')}</td>`,
      `<td>${messageCell(finding, envOrder)}</td>`,
      `<td>${whereCell(finding)}</td>`,
      '</tr>',
    ].join('');
  });
  return [
    '<table class="findings">',
    '<thead><tr><th>Severity</th><th>Rule</th><th>Key</th><th>Environments</th><th>Message</th><th>Where</th></tr></thead>',
    `<tbody>${rows.join('\n')}</tbody>`,
    '</table>',
  ].join('\n');
}

function messageCell(finding: Finding, envOrder: readonly string[]): string {
  const message = finding.message.replace(/\r\n?/g, '\n').split('\n').map(htmlText).join('<br>');
  const rank = (env: string) => (envOrder.includes(env) ? envOrder.indexOf(env) : envOrder.length);
  const values = Object.entries(finding.values ?? {}).sort(([a], [b]) => rank(a) - rank(b) || compareCodeUnits(a, b));
  const lines = values.map(([env, value]) => `<li>${htmlText(env)}: ${valueHtml(value)}</li>`);
  const firstSeen = finding.firstSeen ? `<p class="seen">first seen ${htmlText(finding.firstSeen)}</p>` : '';
  return `${message}${lines.length > 0 ? `<ul class="values">${lines.join('')}</ul>` : ''}${firstSeen}`;
}

function whereCell(finding: Finding): string {
  if (finding.locations.length === 0 && finding.ruleLocation) {
    return `<code>${htmlText(`${finding.ruleLocation.file}:${finding.ruleLocation.line}`)}</code> (rule)`;
  }
  if (finding.locations.length === 0) return '—';
  const items = finding.locations.map(
    (location) => `<li><code>${htmlText(locationText(location))}</code> (${htmlText(location.env)})</li>`,
  );
  return `<ul class="where">${items.join('')}</ul>`;
}

function locationText(location: FindingLocation): string {
  return [location.file, location.line, location.line ? location.column : undefined]
    .filter((part) => part !== undefined)
    .join(':');
}

function valueHtml(value: string): string {
  return value === '' ? '<span class="empty">(empty)</span>' : `<code>${htmlText(value)}</code>`;
}

function matrixSection(report: Report): string {
  const parts = ['<section id="matrix">', '<h2>Matrix</h2>'];
  if (!report.matrix) {
    parts.push(
      report.errors.length > 0
        ? '<p class="none">No matrix: the check could not be completed, and a source that was not read would show its keys as missing.</p>'
        : '<p class="none">This report holds no key matrix.</p>',
      '</section>',
    );
    return parts.join('\n');
  }
  const envs = report.environments.map((environment) => environment.name);
  const matrix = report.matrix;
  const flags = matrix.map(rowFlags);
  parts.push(
    `<p>${matrixCounts(flags)}</p>`,
    '<p class="legend">A cell holds the value, <span class="cell secret"><span class="badge">secret</span> fp:…</span> a secret’s fingerprint (never its value), <span class="cell missing">missing</span> where the environment lacks the key; values that differ from the first one shown in their row are shaded.</p>',
    [
      '<form id="matrix-controls" class="controls" hidden>',
      '<label>Filter <input id="matrix-query" type="search" placeholder="key or value" autocomplete="off"></label>',
      '<label>Status <select id="matrix-status">',
      '<option value="all">all</option><option value="drift">differs or missing</option>',
      '<option value="differs">differs</option><option value="missing">missing</option>',
      '<option value="equal">equal</option><option value="secret">secret</option>',
      '</select></label>',
      '<button id="matrix-previous" type="button">‹ Previous</button>',
      '<button id="matrix-next" type="button">Next ›</button>',
      '</form>',
    ].join(''),
    `<p id="matrix-position" class="position">${htmlText(positionText(Math.min(MATRIX_PAGE, matrix.length), matrix.length))}</p>`,
    '<table id="matrix-table" class="matrix">',
    `<thead><tr><th>Key</th><th>Status</th>${envs.map((env) => `<th>${htmlText(env)}</th>`).join('')}</tr></thead>`,
    `<tbody id="matrix-body">${matrix
      .slice(0, MATRIX_PAGE)
      .map((row, index) => matrixRowHtml(row, flags[index] as number))
      .join('\n')}</tbody>`,
    '</table>',
  );
  if (matrix.length > MATRIX_PAGE) {
    parts.push(
      `<noscript><p class="note">Without JavaScript this page shows the first ${MATRIX_PAGE} of ${matrix.length} keys (by key); the findings and sources are complete. With JavaScript, the whole matrix can be paged and filtered; <code>driftwatch diff</code> and <code>driftwatch snapshot</code> print every key.</p></noscript>`,
    );
  }
  parts.push(`<script type="application/json" id="matrix-data">${matrixJson(envs, matrix, flags)}</script>`);
  parts.push('</section>');
  return parts.join('\n');
}

function rowFlags(row: MatrixRow): number {
  let flags = 0;
  for (const cell of row.cells) {
    if (cell === undefined) flags |= MISSING;
    else {
      if (cell.variant > 0) flags |= DIFFERS;
      if (cell.sensitive) flags |= SECRET;
    }
  }
  return flags;
}

function matrixCounts(flags: readonly number[]): string {
  let equal = 0;
  let differs = 0;
  let missing = 0;
  let secret = 0;
  for (const flag of flags) {
    if ((flag & (MISSING | DIFFERS)) === 0) equal++;
    if (flag & DIFFERS) differs++;
    if (flag & MISSING) missing++;
    if (flag & SECRET) secret++;
  }
  return htmlText(
    `${plural(flags.length, 'key')}: ${equal} equal everywhere, ${differs} ${differs === 1 ? 'differs' : 'differ'}, ${missing} missing somewhere, ${secret} secret.`,
  );
}

/** The first page's position, worded as the script words it (`render` there). */
function positionText(shown: number, total: number): string {
  if (total === 0) return 'No keys.';
  const pages = Math.ceil(total / MATRIX_PAGE);
  return `Keys 1–${shown} of ${total}${pages > 1 ? `; page 1 of ${pages}` : ''}.`;
}

function statusText(flags: number): string {
  const words = [
    ...((flags & (MISSING | DIFFERS)) === 0 ? ['equal'] : []),
    ...(flags & DIFFERS ? ['differs'] : []),
    ...(flags & MISSING ? ['missing'] : []),
    ...(flags & SECRET ? ['secret'] : []),
  ];
  return words.join(', ');
}

/** The same markup the script draws (`rowElement` there). */
function matrixRowHtml(row: MatrixRow, flags: number): string {
  const cells = row.cells.map(cellHtml).join('');
  return `<tr><th scope="row"><code>${htmlText(row.key)}</code></th><td class="status">${statusText(flags)}</td>${cells}</tr>`;
}

function cellHtml(cell: MatrixCell | undefined): string {
  if (cell === undefined) return '<td class="cell missing">missing</td>';
  const classes = `cell v${Math.min(cell.variant, 4)}${cell.sensitive ? ' secret' : ''}`;
  const badge = cell.sensitive ? '<span class="badge">secret</span> ' : '';
  const value = cell.value === '' ? '<span class="empty">(empty)</span>' : htmlText(cell.value);
  return `<td class="${classes}" title="${htmlText(cellOrigin(cell))}">${badge}${value}</td>`;
}

function cellOrigin(cell: MatrixCell): string {
  return cell.line === undefined ? cell.file : `${cell.file}:${cell.line}`;
}

/**
 * `{"envs":[…],"files":[…],"rows":[[key, flags, [cell or 0, …]], …]}`, a cell
 * as `[value, variant, file index, line or 0, secret 1 or 0]`: files once, not
 * once per cell. Texts already made visible; `<`, `>`, `&` and the line
 * separators escaped so that nothing ends the script element early.
 */
function matrixJson(envs: readonly string[], matrix: readonly MatrixRow[], flags: readonly number[]): string {
  const files: string[] = [];
  const fileIndex = new Map<string, number>();
  const rows = matrix.map((row, index) => [
    visibleText(row.key),
    flags[index],
    row.cells.map((cell) => {
      if (cell === undefined) return 0;
      let file = fileIndex.get(cell.file);
      if (file === undefined) {
        file = files.push(visibleText(cell.file)) - 1;
        fileIndex.set(cell.file, file);
      }
      return [visibleText(cell.value), cell.variant, file, cell.line ?? 0, cell.sensitive ? 1 : 0];
    }),
  ]);
  return JSON.stringify({ envs: envs.map(visibleText), files, rows }).replace(
    /[<>&\u2028\u2029]/g,
    (char) => `\\u${(char.codePointAt(0) as number).toString(16).padStart(4, '0')}`,
  );
}

function sourcesSection(report: Report): string {
  const parts = ['<section id="sources">', '<h2>Environments and sources</h2>'];
  if (report.environments.length === 0) parts.push('<p class="none">No environments.</p>');
  for (const environment of report.environments) {
    const failed = environment.sources.filter((source) => source.status === 'error').length;
    const unread = failed > 0 ? `, ${failed} could not be read` : '';
    parts.push(
      `<h3>${htmlText(environment.name)} <span class="count">${htmlText(`${plural(environment.keys, 'key')} from ${plural(environment.sources.length, 'source')}${unread}`)}</span></h3>`,
    );
    const rows = environment.sources.map((source) => {
      const problems = report.errors
        .filter((error) => error.env === environment.name && error.source === source.source)
        .map((error) => `<li>${htmlText(formatProblem(error))}</li>`);
      const detail = problems.length > 0 ? `<ul class="problems">${problems.join('')}</ul>` : '';
      return `<tr><td><code>${htmlText(source.source)}</code></td><td><span class="badge ${source.status === 'ok' ? 'ok' : 'error'}">${source.status === 'ok' ? 'ok' : 'error'}</span>${detail}</td></tr>`;
    });
    parts.push(
      '<table class="sources"><thead><tr><th>Source</th><th>Status</th></tr></thead>',
      `<tbody>${rows.join('\n')}</tbody></table>`,
    );
  }
  parts.push('</section>');
  return parts.join('\n');
}

/** Text as HTML, safe in element content and in quoted attributes: controls made visible, markup escaped. */
export function htmlText(text: string): string {
  const visible = visibleText(text);
  return MARKUP.test(visible) ? visible.replace(MARKUP_ALL, (char) => HTML_ENTITIES[char] as string) : visible;
}

/** `terminalSafe`, with a fast path for the common text that has nothing to escape (most of 40,000 cells). */
function visibleText(text: string): string {
  return UNSAFE.test(text) ? terminalSafe(text) : text;
}

// What terminalSafe escapes: C0 and C1 controls, bidirectional overrides and isolates.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const MARKUP = /[&<>"']/;
const MARKUP_ALL = /[&<>"']/g;

const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

const STYLE = `
:root{color-scheme:light dark;--fg:#1f2328;--bg:#fff;--muted:#656d76;--line:#d0d7de;--head:#f6f8fa;--error:#cf222e;--warning:#9a6700;--notice:#0969da;--ok:#1a7f37;--v1:#fff1c2;--v2:#ffd8b5;--v3:#ffcecb;--v4:#e7d4ff;--secret:#eef1f4}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--muted:#8d96a0;--line:#30363d;--head:#161b22;--error:#ff7b72;--warning:#d29922;--notice:#58a6ff;--ok:#3fb950;--v1:#3d3117;--v2:#4a2c17;--v3:#4c1f22;--v4:#35245a;--secret:#21262d}}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
header,main{padding:0 24px}header{border-bottom:1px solid var(--line);padding-bottom:8px}
h1{font-size:22px;margin:16px 0 4px}h2{font-size:18px;margin:28px 0 8px}h3{font-size:15px;margin:18px 0 6px}
.outcome{font-weight:600;margin:4px 0}.outcome.error,h3.error{color:var(--error)}.outcome.warning,h3.warning{color:var(--warning)}.outcome.notice,h3.notice{color:var(--notice)}.outcome.ok{color:var(--ok)}
a{color:var(--notice)}code{font:12.5px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere}
table{border-collapse:collapse;margin:6px 0;max-width:100%}th,td{border:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top}
thead th{background:var(--head);position:sticky;top:0}
ul{margin:0;padding-left:18px}ul.values,ul.where,ul.problems{list-style:none;padding:0;margin:2px 0 0}
.badge{display:inline-block;font-size:11px;font-weight:600;padding:0 6px;border-radius:8px;border:1px solid var(--line);text-transform:uppercase;letter-spacing:.02em}
.badge.error{color:var(--error)}.badge.warning{color:var(--warning)}.badge.notice{color:var(--notice)}.badge.ok{color:var(--ok)}
.errors{border:1px solid var(--error);border-radius:6px;padding:4px 16px 12px;margin-top:16px}.errors h2{color:var(--error);margin-top:8px}
.none,.legend,.position,.note,.seen,.count,.unchecked{color:var(--muted)}.count{font-weight:400;font-size:13px}
[hidden]{display:none!important}
.controls{display:flex;gap:12px;align-items:center;flex-wrap:wrap;margin:8px 0}.controls input{min-width:18em}
table.matrix{font:12.5px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}table.matrix td,table.matrix th{max-width:28em;overflow-wrap:anywhere}
td.status{font-family:system-ui,sans-serif;color:var(--muted);white-space:nowrap}
.cell.missing{color:var(--muted);font-style:italic}.cell.secret{background:var(--secret)}
.cell.v1{background:var(--v1)}.cell.v2{background:var(--v2)}.cell.v3{background:var(--v3)}.cell.v4{background:var(--v4)}
.empty{color:var(--muted);font-style:italic}
`.trim();

/**
 * Pages and filters the matrix from its JSON. Text reaches the page only
 * through `textContent` and `title`; the markup is the one `matrixRowHtml`
 * writes for the first page.
 */
const SCRIPT = `
(() => {
  const dataElement = document.getElementById('matrix-data');
  if (dataElement) matrix(JSON.parse(dataElement.textContent));
  function matrix(data) {
    const PAGE = ${MATRIX_PAGE};
    const MISSING = ${MISSING}, DIFFERS = ${DIFFERS}, SECRET = ${SECRET};
    const body = document.getElementById('matrix-body');
    const query = document.getElementById('matrix-query');
    const status = document.getElementById('matrix-status');
    const previous = document.getElementById('matrix-previous');
    const next = document.getElementById('matrix-next');
    const position = document.getElementById('matrix-position');
    const rows = data.rows;
    let texts;
    let matching = rows;
    let page = 0;
    document.getElementById('matrix-controls').hidden = false;
    const wanted = {
      all: () => true,
      drift: (flags) => (flags & (MISSING | DIFFERS)) !== 0,
      differs: (flags) => (flags & DIFFERS) !== 0,
      missing: (flags) => (flags & MISSING) !== 0,
      equal: (flags) => (flags & (MISSING | DIFFERS)) === 0,
      secret: (flags) => (flags & SECRET) !== 0,
    };
    function searchText(row) {
      let text = row[0];
      for (const cell of row[2]) if (cell !== 0) text += '\\n' + cell[0];
      return text.toLowerCase();
    }
    function apply() {
      const needle = query.value.trim().toLowerCase();
      const keep = wanted[status.value] || wanted.all;
      if (needle !== '' && texts === undefined) texts = rows.map(searchText);
      matching = [];
      for (let index = 0; index < rows.length; index++) {
        const row = rows[index];
        if (!keep(row[1])) continue;
        if (needle !== '' && !texts[index].includes(needle)) continue;
        matching.push(row);
      }
      page = 0;
      render();
    }
    function statusText(flags) {
      const words = [];
      if ((flags & (MISSING | DIFFERS)) === 0) words.push('equal');
      if (flags & DIFFERS) words.push('differs');
      if (flags & MISSING) words.push('missing');
      if (flags & SECRET) words.push('secret');
      return words.join(', ');
    }
    function element(tag, className, text) {
      const node = document.createElement(tag);
      if (className) node.className = className;
      if (text !== undefined) node.textContent = text;
      return node;
    }
    function rowElement(row) {
      const tr = element('tr');
      const key = element('th');
      key.scope = 'row';
      key.append(element('code', '', row[0]));
      tr.append(key, element('td', 'status', statusText(row[1])));
      for (const cell of row[2]) {
        if (cell === 0) {
          tr.append(element('td', 'cell missing', 'missing'));
          continue;
        }
        const [value, variant, file, line, secret] = cell;
        const td = element('td', 'cell v' + Math.min(variant, 4) + (secret ? ' secret' : ''));
        td.title = data.files[file] + (line ? ':' + line : '');
        if (secret) td.append(element('span', 'badge', 'secret'), ' ');
        td.append(value === '' ? element('span', 'empty', '(empty)') : value);
        tr.append(td);
      }
      return tr;
    }
    function render() {
      const pages = Math.max(1, Math.ceil(matching.length / PAGE));
      page = Math.min(Math.max(page, 0), pages - 1);
      const start = page * PAGE;
      const shown = matching.slice(start, start + PAGE);
      const fragment = document.createDocumentFragment();
      for (const row of shown) fragment.append(rowElement(row));
      if (shown.length === 0) {
        const empty = element('td', 'none', rows.length === 0 ? 'No keys.' : 'No key matches.');
        empty.colSpan = data.envs.length + 2;
        const tr = element('tr');
        tr.append(empty);
        fragment.append(tr);
      }
      body.replaceChildren(fragment);
      position.textContent =
        matching.length === 0
          ? rows.length === 0 ? 'No keys.' : 'No key matches (of ' + rows.length + ').'
          : 'Keys ' + (start + 1) + '–' + (start + shown.length) + ' of ' + matching.length +
            (matching.length === rows.length ? '' : ' matching (of ' + rows.length + ')') +
            (pages > 1 ? '; page ' + (page + 1) + ' of ' + pages : '') + '.';
      previous.disabled = page === 0;
      next.disabled = page >= pages - 1;
    }
    query.addEventListener('input', apply);
    status.addEventListener('change', apply);
    previous.addEventListener('click', () => { page--; render(); });
    next.addEventListener('click', () => { page++; render(); });
    document.getElementById('matrix-controls').addEventListener('submit', (event) => event.preventDefault());
    for (const link of document.querySelectorAll('a.to-matrix')) {
      link.addEventListener('click', () => {
        query.value = link.textContent;
        status.value = 'all';
        apply();
      });
    }
    render();
  }
})();
`.trim();

function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
}

/** Nothing but this file's own style and script: no request can leave the page, no injected markup can run. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src ${cspHash(STYLE)}`,
  `script-src ${cspHash(SCRIPT)}`,
  "img-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
