import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessQueue } from '../../src/jobs/in-process-queue.js';
import { buildServer } from '../../src/server/build-server.js';
import { CANARIES, createDashboardHistory, type DashboardHistory } from './dashboard-history.js';

const CHROMIUM = '/usr/bin/chromium';
const skipReason = existsSync(CHROMIUM) ? undefined : `no Chromium at ${CHROMIUM}`;
const TOKEN = 'browser-dashboard-token-CANARY-3c9d';
const SCREENSHOT = path.resolve(import.meta.dirname, '../../test-results/dashboard.png');

/** What the browser received: every response's status, URL, headers and body, as text. */
interface Traffic {
  readonly responses: string[];
  /** Content-Security-Policy violations and script errors the page reported. */
  readonly problems: string[];
}

describe.skipIf(skipReason !== undefined)(
  `server/dashboard in headless Chromium${skipReason === undefined ? '' : ` (skipped: ${skipReason})`}`,
  () => {
    let history: DashboardHistory;
    let queue: InProcessQueue;
    let app: FastifyInstance;
    let browser: Browser;
    let origin: string;

    beforeAll(async () => {
      history = await createDashboardHistory();
      queue = new InProcessQueue();
      app = buildServer({ store: history.store, queue, dashboard: { access: 'token', token: TOKEN } });
      await app.listen({ host: '127.0.0.1', port: 0 });
      const address = app.server.address();
      if (address === null || typeof address === 'string') throw new Error('the server has no port');
      origin = `http://127.0.0.1:${address.port}`;
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
    });

    afterAll(async () => {
      await browser?.close();
      await app?.close();
      await queue?.stop({ timeoutMs: 0 });
      await history?.close();
    });

    /** A page in a fresh context that records everything it receives. */
    async function openPage(options: { javaScriptEnabled: boolean }): Promise<{
      context: BrowserContext;
      page: Page;
      traffic: Traffic;
    }> {
      const context = await browser.newContext({ ...options, viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const traffic: Traffic = { responses: [], problems: [] };
      const pending: Promise<void>[] = [];
      page.on('response', (response) => {
        pending.push(
          (async () => {
            const status = response.status();
            const body = status >= 300 && status < 400 ? '' : await response.text().catch(() => '');
            traffic.responses.push(
              `${status} ${response.url()}\n${JSON.stringify(await response.allHeaders())}\n${body}`,
            );
          })().catch((error: Error) => {
            if (!page.isClosed()) traffic.problems.push(`reading ${response.url()}: ${error.message}`);
          }),
        );
      });
      page.on('console', (message) => {
        if (message.type() === 'error') traffic.problems.push(message.text());
      });
      page.on('pageerror', (error) => traffic.problems.push(error.message));
      const settle = page.close.bind(page);
      page.close = async (closeOptions) => {
        // A response can arrive while earlier ones are read: let the network settle, drain, then close.
        await page.waitForLoadState('networkidle');
        while (pending.length > 0) await Promise.all(pending.splice(0));
        return settle(closeOptions);
      };
      return { context, page, traffic };
    }

    async function signIn(page: Page): Promise<void> {
      await page.goto(`${origin}/`);
      expect(new URL(page.url()).pathname).toBe('/login');
      await page.fill('input[name="token"]', TOKEN);
      await page.click('#login button[type="submit"]');
      await page.waitForURL(`${origin}/`);
    }

    function expectNothingSecret(traffic: Traffic): void {
      expect(traffic.responses.length).toBeGreaterThan(3);
      for (const response of traffic.responses) {
        for (const [name, canary] of Object.entries({ ...CANARIES, token: TOKEN })) {
          expect(response.includes(canary), `${name} in ${response.slice(0, 80)}`).toBe(false);
        }
      }
    }

    it('signs in, renders the matrix, narrows it with the filter, opens a key, and leaks no secret', async () => {
      const { context, page, traffic } = await openPage({ javaScriptEnabled: true });
      await signIn(page);

      const rows = page.locator('#matrix tbody tr');
      const total = await rows.count();
      expect(total).toBe(history.keyCount);
      await expect.poll(() => page.locator('#matrix tbody tr:visible').count()).toBe(total);
      expect(await page.locator('#matrix thead th').allTextContents()).toEqual([
        'Key',
        'production',
        'staging',
        'Findings',
      ]);
      expect(await page.locator('tr[data-key="db.password"] td.secret code').first().textContent()).toMatch(
        /^fp:[0-9a-f]{8}$/,
      );
      // The hostile value is text on the page, and no script of its ran.
      expect(await page.locator('tr[data-key="app.banner"] td.value code').first().textContent()).toContain(
        '<script>window.pwned = 1</script>',
      );
      expect(await page.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();

      // Typing narrows the rows at once, without asking the server.
      const requestsBefore = traffic.responses.length;
      await page.fill('#filter input[name="q"]', 'db');
      await expect
        .poll(() => page.locator('#matrix tbody tr:visible').evaluateAll((all) => all.map((row) => row.dataset.key)))
        .toEqual(['db.host', 'db.password']);
      await page.selectOption('#filter select[name="status"]', 'secret');
      await expect
        .poll(() => page.locator('#matrix tbody tr:visible').evaluateAll((all) => all.map((row) => row.dataset.key)))
        .toEqual(['db.password']);
      expect(await page.locator('#shown-count').textContent()).toMatch(new RegExp(`^1 of ${total} keys shown`));
      await page.fill('#filter input[name="q"]', '');
      await page.selectOption('#filter select[name="status"]', 'missing');
      await expect
        .poll(() => page.locator('#matrix tbody tr:visible').evaluateAll((all) => all.map((row) => row.dataset.key)))
        .toEqual(['features.beta', 'oauth.global.client_id', 'oauth.global.client_secret']);
      expect(traffic.responses.length).toBe(requestsBefore);

      mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
      await page.selectOption('#filter select[name="status"]', 'all');
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
      expect(existsSync(SCREENSHOT)).toBe(true);

      await page.click('tr[data-key="app.timeout"] th a');
      await page.waitForURL(`${origin}/keys/app.timeout`);
      expect(await page.locator('h1.key').textContent()).toBe('app.timeout');
      const events = page.locator('#timeline li.event');
      expect(await events.count()).toBe(3);
      expect(await events.last().locator('.change').textContent()).toBe('changed');
      expect(await events.last().locator('code').textContent()).toBe('60');

      await page.click('nav a[href="/findings"]');
      await page.waitForURL(`${origin}/findings`);
      expect(await page.locator('#findings tbody tr').count()).toBe(history.findingIds.length);

      await page.close();
      await context.close();
      expect(traffic.problems).toEqual([]);
      expectNothingSecret(traffic);
    });

    it('reads the same without JavaScript: the login, the matrix, and the filter answered by the server', async () => {
      const { context, page, traffic } = await openPage({ javaScriptEnabled: false });
      await signIn(page);
      expect(await page.locator('#matrix tbody tr').count()).toBe(history.keyCount);
      expect(await page.locator('#matrix tbody tr:visible').count()).toBe(history.keyCount);
      expect(await page.locator('tr[data-key="app.timeout"] td.value code').allTextContents()).toEqual(['60', '30']);

      await page.fill('#filter input[name="q"]', 'oauth');
      await page.click('#filter button[type="submit"]');
      await page.waitForURL(`${origin}/?q=oauth&status=all`);
      expect(
        await page.locator('#matrix tbody tr:visible').evaluateAll((all) => all.map((row) => row.dataset.key)),
      ).toEqual(['oauth.global.client_id', 'oauth.global.client_secret']);

      await page.click('tr[data-key="oauth.global.client_id"] th a');
      await page.waitForURL(`${origin}/keys/oauth.global.client_id`);
      expect(await page.locator('#timeline li.event').count()).toBe(1);

      await page.close();
      await context.close();
      expect(traffic.problems).toEqual([]);
      expectNothingSecret(traffic);
    });
  },
);
