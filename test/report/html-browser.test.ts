import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MATRIX_PAGE } from '../../src/report/html.js';
import { run } from '../cli/io.js';

/**
 * The html report in a real headless Chromium, as a reviewer opens the CI
 * artifact: a report the CLI wrote from real files (4 environments, 1,000-odd
 * keys, a planted secret, hostile keys and values), served from 127.0.0.1.
 * Every request the page makes is intercepted and refused: the only one
 * allowed is the page itself.
 */
const CHROMIUM = process.env.DRIFTWATCH_TEST_CHROMIUM ?? '/usr/bin/chromium';
const chromiumSkipReason = existsSync(CHROMIUM)
  ? undefined
  : `no Chromium at ${CHROMIUM} (Debian's chromium package; or set DRIFTWATCH_TEST_CHROMIUM)`;

const SCREENSHOT = path.resolve(import.meta.dirname, '../../test-results/html-report.png');
const ENVIRONMENTS = ['development', 'staging', 'production', 'sandbox'];
const KEYS = 1_000;
const CANARY = 'canary-browser-secret-8c41f2';
const HOSTILE_KEY = '<img src=x onerror=window.pwned=1>';
/** As the matrix names it: a key path quotes a segment that is not a plain name. */
const HOSTILE_KEY_PATH = JSON.stringify(HOSTILE_KEY);
const HOSTILE_VALUE = '<script>window.pwned=2</script>" onclick="window.pwned=3';

function envFile(env: string): string {
  const lines: string[] = [];
  for (let key = 0; key < KEYS; key++) {
    // Every 70th key is missing from the sandbox; every 50th differs in production.
    if (env === 'sandbox' && key % 70 === 0) continue;
    lines.push(
      `SERVICE${key % 20}_SETTING_${key}=${env === 'production' && key % 50 === 0 ? 'other' : 'value'}-${key}`,
    );
  }
  lines.push(`API_PASSWORD=${CANARY}-${env}`);
  if (env === 'production') lines.push('LEGACY_TOKEN_URL=https://legacy.example.test/');
  return `${lines.join('\n')}\n`;
}

const differing = Math.ceil(KEYS / 50);
const missing = Math.ceil(KEYS / 70) + 1;

let dir = '';
let server: Server;
let pageUrl = '';
let browser: Browser;
let pagesOpened = 0;
let assertions = 0;
/** Every request any page made, allowed or not. */
const requests: string[] = [];

interface Opened {
  readonly page: Page;
  readonly context: BrowserContext;
  /** What the page logged as an error or warning (a CSP violation, a script error). */
  readonly problems: string[];
}

async function openPage(options: { javaScriptEnabled?: boolean } = {}): Promise<Opened> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  await context.route('**/*', async (route) => {
    requests.push(route.request().url());
    if (route.request().url() === pageUrl) await route.continue();
    else await route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(pageUrl);
  pagesOpened++;
  return { page, context, problems };
}

/** Closes the page, after checking it logged nothing: no CSP violation, no script error. */
async function closePage({ context, problems }: Opened): Promise<void> {
  expect(problems).toEqual([]);
  await context.close();
}

async function matrixKeys(page: Page): Promise<string[]> {
  return page.locator('#matrix-body tr th code').allTextContents();
}

describe.skipIf(chromiumSkipReason !== undefined)(
  `report/html in headless Chromium${chromiumSkipReason ? ` (skipped: ${chromiumSkipReason})` : ''}`,
  () => {
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-html-'));
      writeFileSync(
        path.join(dir, 'driftwatch.yaml'),
        [
          'version: 1',
          'environments:',
          ...ENVIRONMENTS.map((env) => `  ${env}: {sources: [{path: ${env}.env}, {path: ${env}.yaml}]}`),
          'rules: [rules.yaml]',
        ].join('\n'),
      );
      writeFileSync(
        path.join(dir, 'rules.yaml'),
        [
          'rules:',
          '  - {id: parity, kind: parity, keys: ["**"]}',
          '  - {id: no-legacy, kind: forbid, keys: ["LEGACY_*"], severity: error}',
          '  - {id: no-shared-secrets, kind: differ, keys: ["*_PASSWORD"]}',
        ].join('\n'),
      );
      for (const env of ENVIRONMENTS) {
        writeFileSync(path.join(dir, `${env}.env`), envFile(env));
        writeFileSync(
          path.join(dir, `${env}.yaml`),
          `${JSON.stringify(HOSTILE_KEY)}: ${JSON.stringify(env === 'staging' ? 'plain' : HOSTILE_VALUE)}\n`,
        );
      }
      const result = await run(dir, ['check', '--format', 'html=report.html']);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(1);
      const html = readFileSync(path.join(dir, 'report.html'));
      server = createServer((request, response) => {
        if (request.url !== '/report.html') {
          response.writeHead(404).end();
          return;
        }
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      pageUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/report.html`;
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
    });

    afterEach(() => {
      assertions += expect.getState().assertionCalls;
    });

    afterAll(async () => {
      await browser?.close();
      await new Promise((resolve) => server?.close(resolve));
      if (dir) rmSync(dir, { recursive: true, force: true });
      process.stdout.write(
        `report/html in Chromium: ${pagesOpened} pages opened, ${assertions} assertions, ${requests.length} requests (all to the page itself); screenshot ${path.relative(process.cwd(), SCREENSHOT)}\n`,
      );
    });

    it('renders the matrix, one column per environment and a page of keys, and a screenshot of it', async () => {
      const opened = await openPage();
      const { page } = opened;
      expect(await page.locator('#matrix-table thead th').allTextContents()).toEqual([
        'Key',
        'Status',
        ...ENVIRONMENTS,
      ]);
      const total = KEYS + 3;
      expect(await page.locator('#matrix-body tr').count()).toBe(MATRIX_PAGE);
      expect(await page.locator('#matrix-position').textContent()).toBe(
        `Keys 1–${MATRIX_PAGE} of ${total}; page 1 of ${Math.ceil(total / MATRIX_PAGE)}.`,
      );
      expect(await page.locator('#matrix-controls').isVisible()).toBe(true);
      expect(await page.locator('#findings h3').allTextContents()).toEqual(['Errors (1)', 'Warnings (16)']);
      expect(await page.locator('#sources h3').count()).toBe(ENVIRONMENTS.length);

      mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
      await page.locator('#matrix-status').selectOption('drift');
      await page.locator('#matrix').scrollIntoViewIfNeeded();
      await page.screenshot({ path: SCREENSHOT, fullPage: false });
      expect(readFileSync(SCREENSHOT).subarray(1, 4).toString()).toBe('PNG');
      expect(statSync(SCREENSHOT).size).toBeGreaterThan(10_000);
      await closePage(opened);
    });

    it('narrows the matrix by text and by status, and pages through the rest', async () => {
      const opened = await openPage();
      const { page } = opened;
      const query = page.locator('#matrix-query');
      const status = page.locator('#matrix-status');

      await query.fill('setting_77');
      // SERVICE17_SETTING_77 and SERVICE10_SETTING_770 to SERVICE19_SETTING_779, whatever the case, in key order.
      expect(await matrixKeys(page)).toEqual(
        [
          'SERVICE17_SETTING_77',
          ...Array.from({ length: 10 }, (_, index) => `SERVICE${(770 + index) % 20}_SETTING_${770 + index}`),
        ].sort(),
      );
      expect(await page.locator('#matrix-position').textContent()).toBe(`Keys 1–11 of 11 matching (of ${KEYS + 3}).`);

      // Values are searched too.
      await query.fill('other-950');
      expect(await matrixKeys(page)).toEqual(['SERVICE10_SETTING_950']);
      expect(await page.locator('#matrix-body tr td.status').allTextContents()).toEqual(['differs']);

      await query.fill('');
      await status.selectOption('differs');
      expect(await page.locator('#matrix-position').textContent()).toBe(
        `Keys 1–${differing + 2} of ${differing + 2} matching (of ${KEYS + 3}).`,
      );
      await status.selectOption('missing');
      const statuses = await page.locator('#matrix-body tr td.status').allTextContents();
      expect(statuses).toHaveLength(missing);
      expect(statuses.every((text) => text.includes('missing'))).toBe(true);
      expect(await page.locator('#matrix-body td.cell.missing').count()).toBe(missing - 1 + 3);

      await status.selectOption('all');
      expect(await page.locator('#matrix-previous').isDisabled()).toBe(true);
      const first = await matrixKeys(page);
      await page.locator('#matrix-next').click();
      const second = await matrixKeys(page);
      expect(second).toHaveLength(MATRIX_PAGE);
      expect((second[0] as string) > (first.at(-1) as string)).toBe(true);
      expect(await page.locator('#matrix-position').textContent()).toMatch(/^Keys 201–400 of 1003; page 2 of 6\.$/);
      await page.locator('#matrix-previous').click();
      expect(await matrixKeys(page)).toEqual(first);

      await query.fill('no such key anywhere');
      expect(await page.locator('#matrix-body').textContent()).toBe('No key matches.');

      // A finding's key leads to its row.
      await page.locator('#findings a.to-matrix', { hasText: 'LEGACY_TOKEN_URL' }).first().click();
      expect(await matrixKeys(page)).toEqual(['LEGACY_TOKEN_URL']);
      await closePage(opened);
    });

    it('holds the planted secret nowhere: not in the page, its text, or its traffic; only its fingerprint', async () => {
      expect(readFileSync(path.join(dir, 'report.html'), 'utf8')).not.toContain(CANARY);
      const opened = await openPage();
      const { page } = opened;
      await page.locator('#matrix-query').fill('API_PASSWORD');
      const cells = await page.locator('#matrix-body td.cell').allTextContents();
      expect(cells).toHaveLength(ENVIRONMENTS.length);
      for (const cell of cells) expect(cell).toMatch(/^secret fp:[0-9a-f]{8}$/);
      expect(await page.content()).not.toContain(CANARY);
      // The live DOM and the text a reader sees, not only the markup served.
      expect(await page.evaluate('document.documentElement.outerHTML + document.body.innerText')).not.toContain(CANARY);
      expect(requests.every((url) => url === pageUrl)).toBe(true);
      await closePage(opened);
    });

    it('keeps hostile keys and values as text: nothing runs, nothing loads', async () => {
      const opened = await openPage();
      const { page } = opened;
      await page.locator('#matrix-query').fill('onerror');
      expect(await matrixKeys(page)).toEqual([HOSTILE_KEY_PATH]);
      expect(await page.locator('#matrix-body td.cell').allTextContents()).toEqual([
        HOSTILE_VALUE,
        'plain',
        HOSTILE_VALUE,
        HOSTILE_VALUE,
      ]);
      expect(await page.locator('#matrix-body img, #matrix-body script').count()).toBe(0);
      expect(await page.locator('img').count()).toBe(0);
      expect(await page.evaluate('window.pwned')).toBeUndefined();
      await page.locator('#matrix-body td.cell').first().click();
      expect(await page.evaluate('window.pwned')).toBeUndefined();
      expect(requests.every((url) => url === pageUrl)).toBe(true);
      await closePage(opened);
    });

    it('reads without JavaScript: findings, sources and the first page of the matrix, and a note on the rest', async () => {
      const opened = await openPage({ javaScriptEnabled: false });
      const { page } = opened;
      expect(await page.locator('#matrix-body tr').count()).toBe(MATRIX_PAGE);
      expect((await matrixKeys(page))[0]).toBe(HOSTILE_KEY_PATH);
      expect(await page.locator('#matrix-controls').isVisible()).toBe(false);
      expect(await page.locator('p.note').textContent()).toMatch(
        new RegExp(`^Without JavaScript this page shows the first ${MATRIX_PAGE} of ${KEYS + 3} keys`),
      );
      expect(await page.locator('p.note').isVisible()).toBe(true);
      expect(await page.locator('#findings table.findings tbody tr').count()).toBe(17);
      expect(await page.locator('#sources table.sources tbody tr').count()).toBe(ENVIRONMENTS.length * 2);
      expect(await page.content()).not.toContain(CANARY);
      await closePage(opened);
    });

    it('made no request but for the page itself', () => {
      expect(requests.length).toBe(pagesOpened);
      expect(new Set(requests)).toEqual(new Set([pageUrl]));
    });
  },
);
