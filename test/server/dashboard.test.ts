import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessQueue } from '../../src/jobs/in-process-queue.js';
import { buildServer } from '../../src/server/build-server.js';
import { FAILED_LOGINS_ALLOWED } from '../../src/server/dashboard/dashboard-routes.js';
import { createLogger } from '../../src/server/logger.js';
import { type DashboardSettings, loadServerSettings } from '../../src/server/settings.js';
import { startService } from '../../src/server/start-server.js';
import { CANARIES, createDashboardHistory, type DashboardHistory, HOSTILE_VALUE } from './dashboard-history.js';
import { createTestSchemas, postgresSkipReason, type TestSchemas } from './postgres.js';

const TOKEN = 'dashboard-token-CANARY-5f0e9a7c1d';
const DAY_MS = 86_400_000;

let history: DashboardHistory;
const queues: InProcessQueue[] = [];
beforeAll(async () => {
  history = await createDashboardHistory();
});
afterAll(async () => {
  for (const queue of queues) await queue.stop({ timeoutMs: 0 });
  await history.close();
});

interface DashboardApp {
  readonly app: FastifyInstance;
  readonly logLines: string[];
}

async function dashboardApp(dashboard?: DashboardSettings, now?: () => Date): Promise<DashboardApp> {
  const logLines: string[] = [];
  const queue = new InProcessQueue();
  queues.push(queue);
  const app = buildServer({
    store: history.store,
    queue,
    ...(dashboard === undefined ? {} : { dashboard }),
    ...(now === undefined ? {} : { now }),
    logger: createLogger({
      level: 'trace',
      secrets: [TOKEN],
      destination: { write: (line) => logLines.push(line) },
    }),
  });
  await app.ready();
  return { app, logLines };
}

/** Every secret that must never leave: the planted values and the dashboard's token. */
function expectNothingSecret(text: string, where: string): void {
  for (const [name, canary] of Object.entries({ ...CANARIES, token: TOKEN })) {
    expect(text.includes(canary), `${name} in ${where}`).toBe(false);
  }
}

function everything(response: LightMyRequestResponse): string {
  return `${JSON.stringify(response.headers)}\n${response.body}`;
}

/** The attribute names of every tag of a page (values, escaped text included, left out). */
function attributeNames(html: string): string[] {
  const names = new Set<string>();
  for (const [tag] of html.matchAll(/<[a-z][^>]*>/g)) {
    const bare = tag.replace(/"[^"]*"/g, '""');
    for (const match of bare.matchAll(/\s([a-z-]+)(?==|\s|\/?>)/g)) names.add(match[1] as string);
  }
  return [...names];
}

async function signIn(app: FastifyInstance, token = TOKEN): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: '/login',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ token }).toString(),
  });
}

function sessionCookie(response: LightMyRequestResponse): string {
  const cookie = response.cookies.find((candidate) => candidate.name === 'driftwatch_session');
  if (cookie === undefined) throw new Error('no session cookie was set');
  return `${cookie.name}=${cookie.value}`;
}

describe('server/dashboard: off unless asked for', () => {
  it('has no dashboard route without a dashboard setting', async () => {
    const { app } = await dashboardApp();
    for (const url of ['/', '/findings', '/keys/app.timeout', '/login', '/assets/dashboard.js']) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBe(404);
      expect(response.json()).toEqual({ message: 'not found' });
    }
    expect((await app.inject({ method: 'POST', url: '/login' })).statusCode).toBe(404);
    await app.close();
  });

  it('says at start how to turn it on', async () => {
    const lines: string[] = [];
    const dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-dashboard-off-'));
    try {
      const service = await startService({
        settings: loadServerSettings({ PORT: '0' }, { cwd: dir }),
        handleSignals: false,
        logDestination: { write: (line) => lines.push(line) },
      });
      await service.stop('test');
      const starting = JSON.parse(lines[0] as string) as Record<string, unknown>;
      expect(starting.msg).toBe('starting');
      expect(starting.dashboard).toBe(
        'off: set DRIFTWATCH_DASHBOARD_TOKEN to serve it behind a login, or DRIFTWATCH_DASHBOARD_PUBLIC=true to serve it to anyone who reaches the service',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('server/dashboard in driftwatch serve', () => {
  it('is served over HTTP when the settings turn it on, and the token stays out of the log', async () => {
    const lines: string[] = [];
    const service = await startService({
      settings: loadServerSettings({ PORT: '0', DRIFTWATCH_DASHBOARD_TOKEN: TOKEN }, { cwd: history.dir }),
      handleSignals: false,
      logDestination: { write: (line) => lines.push(line) },
    });
    try {
      const origin = `http://127.0.0.1:${service.address.port}`;
      const anonymous = await fetch(`${origin}/`, { redirect: 'manual' });
      expect(anonymous.status).toBe(303);
      const page = await fetch(`${origin}/`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('data-key="app.timeout"');
      const wrong = await fetch(`${origin}/`, { headers: { authorization: `Bearer ${TOKEN}x` } });
      expect(wrong.status).toBe(401);
    } finally {
      await service.stop('test');
    }
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      msg: 'starting',
      dashboard: 'on, behind DRIFTWATCH_DASHBOARD_TOKEN',
    });
    expect(lines.some((line) => line.includes('dashboard: wrong token'))).toBe(true);
    expectNothingSecret(lines.join('\n'), 'the log');
  });
});

describe('server/dashboard: behind a token', () => {
  it('sends a visitor without a session to the login form', async () => {
    const { app } = await dashboardApp({ access: 'token', token: TOKEN });
    for (const url of ['/', '/findings', '/keys/app.timeout']) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBe(303);
      expect(response.headers.location).toBe('/login');
      expect(response.body).not.toContain('app.timeout');
    }
    const login = await app.inject({ url: '/login' });
    expect(login.statusCode).toBe(200);
    expect(login.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(login.body).toContain('<form id="login" class="login" method="post" action="/login">');
    expect(login.body).toContain('type="password" name="token"');
    await app.close();
  });

  it('signs in with the token: an HttpOnly, SameSite=Strict session cookie that does not hold the token', async () => {
    const { app, logLines } = await dashboardApp({ access: 'token', token: TOKEN });
    const response = await signIn(app);
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/');
    const cookie = response.cookies.find((candidate) => candidate.name === 'driftwatch_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/', maxAge: 12 * 3600 });
    expectNothingSecret(everything(response), 'the login answer');

    const page = await app.inject({ url: '/', headers: { cookie: sessionCookie(response) } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('data-key="app.timeout"');
    expect(page.body).toContain('<form class="logout" method="post" action="/logout">');
    expectNothingSecret(everything(page), 'the matrix');

    const out = await app.inject({ method: 'POST', url: '/logout', headers: { cookie: sessionCookie(response) } });
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toBe('/login');
    expect(out.cookies.find((candidate) => candidate.name === 'driftwatch_session')?.value).toBe('');
    await signIn(app, `${TOKEN}-not`);
    expect(logLines.map((line) => JSON.parse(line).msg)).toEqual(['dashboard: signed in', 'dashboard: wrong token']);
    expectNothingSecret(logLines.join('\n'), 'the log');
    await app.close();
  });

  it('refuses a wrong token, a forged or expired cookie, and accepts the token as a bearer header', async () => {
    let now = new Date('2026-12-01T08:00:00.000Z');
    const { app } = await dashboardApp({ access: 'token', token: TOKEN }, () => now);
    const wrong = await signIn(app, 'not-the-dashboard-token');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.cookies).toEqual([]);
    expect(wrong.body).toContain('That is not the dashboard token.');

    const session = sessionCookie(await signIn(app));
    const [name, value] = session.split('=') as [string, string];
    const forged = `${name}=${value.replace(/^\d+/, String(now.getTime() + 365 * DAY_MS))}`;
    expect((await app.inject({ url: '/', headers: { cookie: forged } })).statusCode).toBe(303);
    expect((await app.inject({ url: '/', headers: { cookie: `${name}=${TOKEN}` } })).statusCode).toBe(303);
    expect((await app.inject({ url: '/', headers: { cookie: session } })).statusCode).toBe(200);
    now = new Date(now.getTime() + 13 * 3_600_000);
    expect((await app.inject({ url: '/', headers: { cookie: session } })).statusCode).toBe(303);

    const bearer = await app.inject({ url: '/findings', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(bearer.statusCode).toBe(200);
    expect(bearer.body).toContain('<table id="findings"');
    const badBearer = await app.inject({ url: '/findings', headers: { authorization: 'Bearer nope-nope-nope' } });
    expect(badBearer.statusCode).toBe(401);
    expect(badBearer.headers['www-authenticate']).toBe('Bearer');
    expect(badBearer.body).not.toContain('<table id="findings"');
    expect(badBearer.body).not.toContain('action="/logout"');
    await app.close();
  });

  it('rate limits wrong tokens: after the allowance, even the right one waits', async () => {
    const { app } = await dashboardApp({ access: 'token', token: TOKEN });
    expect((await signIn(app)).statusCode).toBe(303);
    for (let attempt = 0; attempt < FAILED_LOGINS_ALLOWED; attempt++) {
      expect((await signIn(app, `wrong-${attempt}`)).statusCode).toBe(401);
    }
    const limited = await signIn(app);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.cookies).toEqual([]);
    const bearer = await app.inject({ url: '/', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(bearer.statusCode).toBe(429);
    await app.close();
  });

  it('counts wrong bearer tokens against the same allowance', async () => {
    const { app } = await dashboardApp({ access: 'token', token: TOKEN });
    for (let attempt = 0; attempt < FAILED_LOGINS_ALLOWED; attempt++) {
      const response = await app.inject({ url: '/', headers: { authorization: `Bearer wrong-${attempt}` } });
      expect(response.statusCode).toBe(401);
    }
    expect((await signIn(app)).statusCode).toBe(429);
    await app.close();
  });
});

describe('server/dashboard: the pages', () => {
  let app: FastifyInstance;
  const now = new Date(Date.now() + 3 * DAY_MS + 60_000);
  beforeAll(async () => {
    ({ app } = await dashboardApp({ access: 'public' }, () => now));
  });
  afterAll(async () => app.close());

  it('serves every page with a strict Content-Security-Policy, no inline script and no style attribute', async () => {
    for (const url of ['/', '/findings', '/keys/app.timeout', '/keys/no.such.key', '/?q=db&status=differs']) {
      const response = await app.inject({ url });
      const policy = String(response.headers['content-security-policy']);
      expect(policy, url).toContain("default-src 'none'");
      expect(policy, url).toContain("script-src 'self'");
      expect(policy, url).toContain("style-src 'self'");
      expect(policy, url).toContain("frame-ancestors 'none'");
      expect(policy, url).not.toContain('unsafe');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['cache-control']).toBe('no-store');
      const scripts = [...response.body.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]);
      expect(scripts, url).toEqual(['<script src="/assets/dashboard.js" defer></script>'.replace('</script>', '')]);
      expect(response.body, url).not.toMatch(/<script\b[^>]*>[^<]/);
      const attributes = attributeNames(response.body);
      expect(attributes, url).toContain('href');
      expect(
        attributes.filter((name) => name === 'style' || name.startsWith('on')),
        url,
      ).toEqual([]);
      expectNothingSecret(everything(response), url);
    }
  });

  it('serves the stylesheet and the script without a login, as files of their own', async () => {
    const css = await app.inject({ url: '/assets/dashboard.css' });
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    const script = await app.inject({ url: '/assets/dashboard.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.body).toContain("getElementById('matrix')");
  });

  it('shows the latest snapshot of each environment as a matrix: same, differs, missing, secrets by fingerprint', async () => {
    const page = (await app.inject({ url: '/' })).body;
    const row = (key: string) => {
      const match = new RegExp(`<tr class="row-[a-z]+" data-key="${key.replaceAll('.', '\\.')}"[\\s\\S]*?</tr>`).exec(
        page,
      );
      if (match === null) throw new Error(`no row for ${key}`);
      return match[0];
    };
    expect(page).toMatch(/<th scope="col">production<\/th><th scope="col">staging<\/th>/);
    expect(row('app.name')).toContain('data-status="same"');
    expect(row('app.timeout')).toContain('data-status="differs"');
    expect(row('app.timeout')).toMatch(/<code[^>]*>60<\/code>[\s\S]*<code[^>]*>30<\/code>/);
    expect(row('features.beta')).toContain('data-status="missing"');
    expect(row('features.beta')).toContain('<td class="absent">missing</td>');
    expect(row('db.password')).toContain('data-secret="true"');
    expect(row('db.password')).toMatch(/<td class="secret"><code[^>]*>fp:[0-9a-f]{8}<\/code>/);
    // One token in both environments: one fingerprint, so the row says they share it.
    expect(row('api.token')).toContain('data-status="same"');
    expect(row('oauth.global.client_id')).toContain('<a href="/findings">1</a>');
    expect(page).toContain('keys shown · 3 differ, 3 missing somewhere, 3 the same');
  });

  it('escapes every value: a hostile one reads as text', async () => {
    const page = (await app.inject({ url: '/' })).body;
    expect(page).not.toContain(HOSTILE_VALUE);
    expect(page).not.toContain('<script>window.pwned');
    expect(page).toContain('&lt;script&gt;window.pwned = 1&lt;/script&gt;');
    const timeline = (await app.inject({ url: '/keys/app.banner' })).body;
    expect(timeline).not.toContain('<img src=x');
    expect(timeline).toContain('&lt;img src=x onerror=&quot;window.pwned = 2&quot;&gt;');
  });

  it('filters on the server too, for a browser without JavaScript: rows that do not match are hidden', async () => {
    const page = (await app.inject({ url: '/?q=DB&status=differs' })).body;
    const visible = [...page.matchAll(/<tr class="row-[a-z]+" data-key="([^"]+)"[^>]*?(hidden)?>/g)]
      .filter((match) => match[2] === undefined)
      .map((match) => match[1]);
    expect(visible).toEqual(['db.host', 'db.password']);
    expect(page).toContain('<input type="search" name="q" value="DB"');
    expect(page).toContain('<option value="differs" selected>');
    expect(page).toContain('2 of ');
    const bad = await app.inject({ url: '/?status=everything' });
    expect(bad.statusCode).toBe(400);
  });

  it("shows one key's timeline across environments, oldest first", async () => {
    const response = await app.inject({ url: '/keys/app.timeout' });
    expect(response.statusCode).toBe(200);
    const events = [...response.body.matchAll(/<li class="event change-([a-z]+)" data-env="([a-z]+)">[\s\S]*?<\/li>/g)];
    const steps = events.map((match) => `${match[2]} ${match[1]}`);
    // Both environments were snapshotted by one run: which of the two came first is a matter of milliseconds.
    expect(steps.slice(0, 2).sort()).toEqual(['production added', 'staging added']);
    expect(steps.slice(2)).toEqual(['production changed']);
    expect(events[2]?.[0]).toContain('<code class="value">60</code>');
    expect(events[2]?.[0]).toContain('config/production.yaml:3');

    const secret = (await app.inject({ url: '/keys/db.password' })).body;
    expect(secret).toMatch(/<code class="secret">fp:[0-9a-f]{8}<\/code> <span class="badge">secret<\/span>/);

    const unknown = await app.inject({ url: '/keys/no.such.key' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toContain('No stored snapshot has ever held no.such.key.');
  });

  it('lists the open findings of the latest delivered report, with their age', async () => {
    const page = (await app.inject({ url: '/findings' })).body;
    expect(history.findingIds.length).toBeGreaterThan(0);
    const rows = [...page.matchAll(/<tr class="severity-([a-z]+)" data-id="([0-9a-f]+)">([\s\S]*?)<\/tr>/g)];
    expect(rows.map((match) => match[2])).toEqual(history.findingIds);
    const oauth = rows.find((match) => (match[3] as string).includes('retired-global-oauth'));
    expect(oauth?.[1]).toBe('error');
    expect(oauth?.[3]).toContain('<a href="/keys/oauth.global.client_id"><code>oauth.global.client_id</code></a>');
    expect(oauth?.[3]).toContain('<td>3 days</td>');
    const timeout = rows.find((match) => (match[3] as string).includes('same-timeouts'));
    expect(timeout?.[3]).toContain('<td>production, staging</td>');
  });
});

describe('server/dashboard: public on purpose', () => {
  it('asks for no login, and has no login form', async () => {
    const { app } = await dashboardApp({ access: 'public' });
    expect((await app.inject({ url: '/' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/login' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/' })).body).not.toContain('action="/logout"');
    await app.close();
  });
});

describe.skipIf(postgresSkipReason !== undefined)('server/dashboard over a PostgreSQL history', () => {
  let schemas: TestSchemas;
  let pgHistory: DashboardHistory;
  let app: FastifyInstance;
  let queue: InProcessQueue;
  beforeAll(async () => {
    schemas = await createTestSchemas();
    pgHistory = await createDashboardHistory({ url: schemas.storeUrl, schema: schemas.storeSchema });
    queue = new InProcessQueue();
    app = buildServer({ store: pgHistory.store, queue, dashboard: { access: 'public' } });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await queue?.stop({ timeoutMs: 0 });
    await pgHistory?.close();
    await schemas?.drop();
  });

  it('shows the same matrix, timeline and findings, and no secret', async () => {
    const matrix = await app.inject({ url: '/' });
    expect(matrix.body).toContain('9 of 9 keys shown · 3 differ, 3 missing somewhere, 3 the same');
    expect(matrix.body).toMatch(/data-key="db\.password" data-status="differs" data-secret="true"/);
    const timeline = await app.inject({ url: '/keys/app.timeout' });
    expect([...timeline.body.matchAll(/<li class="event/g)].length).toBe(3);
    const findings = await app.inject({ url: '/findings' });
    expect([...findings.body.matchAll(/<tr class="severity-[a-z]+" data-id="([0-9a-f]+)">/g)].map((m) => m[1])).toEqual(
      pgHistory.findingIds,
    );
    for (const response of [matrix, timeline, findings])
      expectNothingSecret(everything(response), response.raw.req.url ?? '');
  });
});
