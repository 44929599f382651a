import { readFileSync } from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyView from '@fastify/view';
import { Eta } from 'eta';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { packageDir } from '../../package-dir.js';
import type { Store, StoredSnapshot } from '../../store/store.js';
import type { DashboardSettings } from '../settings.js';
import {
  createSession,
  isDashboardToken,
  isValidSession,
  SESSION_COOKIE,
  SESSION_TTL_MS,
} from './dashboard-session.js';
import { buildDriftMatrix, type MatrixRow } from './drift-matrix.js';
import { buildKeyTimeline } from './key-timeline.js';
import { findingsByKey, openFindings } from './open-findings.js';

/** The templates, the stylesheet and the script, shipped beside dist/ (three folders up from here in src/ and dist/). */
export const DASHBOARD_DIR = path.join(packageDir(import.meta.dirname), 'dashboard');

export interface DashboardRouteOptions {
  readonly store: Store;
  readonly settings: DashboardSettings;
  /** The clock ages and sessions are judged by (tests fix it). */
  readonly now?: () => Date;
}

/** Wrong tokens one address may try per window before every attempt is refused until the window ends. */
export const FAILED_LOGINS_ALLOWED = 5;
const FAILED_LOGIN_WINDOW_MS = 60_000;

export const ROW_FILTERS = ['all', 'drift', 'differs', 'missing', 'same', 'secret'] as const;
export type RowFilter = (typeof ROW_FILTERS)[number];

const FILTER_LABELS: Record<RowFilter, string> = {
  all: 'every key',
  drift: 'drift (differs or missing)',
  differs: 'values differ',
  missing: 'missing somewhere',
  same: 'same everywhere',
  secret: 'secrets',
};

/**
 * Everything a page may load, and nothing else: no inline script or style,
 * no other origin, no framing, forms post only here.
 */
const CONTENT_SECURITY_POLICY = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'"],
    connectSrc: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
  },
};

const MatrixQuery = {
  type: 'object',
  properties: {
    q: { type: 'string', maxLength: 200 },
    status: { type: 'string', enum: [...ROW_FILTERS] },
  },
  additionalProperties: false,
} as const;

const KeyParams = {
  type: 'object',
  required: ['key'],
  properties: { key: { type: 'string', minLength: 1, maxLength: 2000 } },
} as const;

const LoginBody = {
  type: 'object',
  required: ['token'],
  properties: { token: { type: 'string', maxLength: 4096 } },
} as const;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route answers without a login: the login form itself and the stylesheet and script it loads. */
    dashboardPublic?: boolean;
  }
}

/**
 * The dashboard: `/` (the keys × environments matrix of the latest stored
 * snapshots), `/keys/:key` (one key's timeline), `/findings` (open findings
 * with their age). Server-rendered; the one script only filters rows, so every
 * page reads the same without it. Behind a token (login form and session
 * cookie, or a bearer header) unless made public on purpose.
 */
export async function dashboardRoutes(app: FastifyInstance, options: DashboardRouteOptions): Promise<void> {
  const { store, settings } = options;
  const now = options.now ?? (() => new Date());
  const token = settings.access === 'token' ? settings.token : undefined;

  await app.register(fastifyHelmet, { contentSecurityPolicy: CONTENT_SECURITY_POLICY });
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody);
  await app.register(fastifyRateLimit, { global: false });
  await app.register(fastifyView, {
    engine: { eta: new Eta({ autoEscape: true }) },
    root: path.join(DASHBOARD_DIR, 'views'),
    defaultContext: { time: timeOf, keyHref, loggedIn: token !== undefined },
  });
  const failedLogins = app.createRateLimit({ max: FAILED_LOGINS_ALLOWED, timeWindow: FAILED_LOGIN_WINDOW_MS });

  /** Refuses an address that used up its wrong tokens; after a wrong one, counts it. */
  const refuseWhileLimited = async (request: FastifyRequest, reply: FastifyReply): Promise<boolean> => {
    const status = await failedLogins(request, { increment: false });
    if (status.isAllowed || status.remaining > 0) return false;
    request.log.warn({ ip: request.ip }, 'dashboard: too many wrong tokens; refused');
    reply.code(429).header('retry-after', String(status.ttlInSeconds)).header('cache-control', 'no-store');
    await reply.view('message', {
      title: 'Too many attempts',
      message: 'Too many wrong tokens: try again later.',
      loggedIn: false,
    });
    return true;
  };

  app.addHook('onRequest', async (request, reply) => {
    reply.header('cache-control', 'no-store');
    if (token === undefined || request.routeOptions.config.dashboardPublic === true) return;
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      if (await refuseWhileLimited(request, reply)) return reply;
      const bearer = /^Bearer +(\S+)$/i.exec(authorization)?.[1];
      if (bearer !== undefined && isDashboardToken(bearer, token)) return;
      await failedLogins(request);
      request.log.warn({ ip: request.ip, via: 'bearer' }, 'dashboard: wrong token');
      reply.code(401).header('www-authenticate', 'Bearer');
      return reply.view('message', {
        title: 'Not signed in',
        message: 'The bearer token is not the dashboard token.',
        loggedIn: false,
      });
    }
    if (isValidSession(request.cookies[SESSION_COOKIE], token, now())) return;
    return reply.redirect('/login', 303);
  });

  const css = readFileSync(path.join(DASHBOARD_DIR, 'assets', 'dashboard.css'));
  const script = readFileSync(path.join(DASHBOARD_DIR, 'assets', 'dashboard.js'));
  const icon = readFileSync(path.join(DASHBOARD_DIR, 'assets', 'favicon.svg'));
  const asset = (body: Buffer, type: string) => async (_request: FastifyRequest, reply: FastifyReply) =>
    reply.header('content-type', type).header('cache-control', 'public, max-age=300').send(body);
  app.get('/assets/dashboard.css', { config: { dashboardPublic: true } }, asset(css, 'text/css; charset=utf-8'));
  app.get(
    '/assets/dashboard.js',
    { config: { dashboardPublic: true } },
    asset(script, 'text/javascript; charset=utf-8'),
  );

  app.get('/assets/favicon.svg', { config: { dashboardPublic: true } }, asset(icon, 'image/svg+xml'));

  app.get<{ Querystring: { q?: string; status?: RowFilter } }>(
    '/',
    { schema: { querystring: MatrixQuery } },
    async (request, reply) => {
      const query = request.query.q ?? '';
      const filter = request.query.status ?? 'all';
      const snapshots = await latestSnapshots(store);
      const matrix = buildDriftMatrix(snapshots, findingsByKey(await openFindings(store, now())));
      const rows = matrix.rows.map((row) => ({ row, shown: rowMatches(row, query, filter) }));
      return reply.view('matrix', {
        title: 'Drift matrix',
        page: 'matrix',
        matrix,
        rows,
        shownCount: rows.filter((row) => row.shown).length,
        query,
        filter,
        filters: ROW_FILTERS.map((value) => ({ value, label: FILTER_LABELS[value] })),
      });
    },
  );

  app.get<{ Params: { key: string } }>('/keys/:key', { schema: { params: KeyParams } }, async (request, reply) => {
    const { key } = request.params;
    const timeline = buildKeyTimeline(key, await store.keyHistory({ key }));
    if (timeline.events.length === 0) {
      reply.code(404);
      return reply.view('message', { title: 'Unknown key', message: `No stored snapshot has ever held ${key}.` });
    }
    return reply.view('key', { title: key, page: 'key', timeline });
  });

  app.get('/findings', async (_request, reply) => {
    const open = await openFindings(store, now());
    return reply.view('findings', { title: 'Open findings', page: 'findings', open });
  });

  if (token === undefined) return;

  app.get('/login', { config: { dashboardPublic: true } }, async (_request, reply) =>
    reply.view('login', { title: 'Sign in', page: 'login', wrong: false }),
  );

  app.post<{ Body: { token: string } }>(
    '/login',
    { config: { dashboardPublic: true }, schema: { body: LoginBody } },
    async (request, reply) => {
      if (await refuseWhileLimited(request, reply)) return reply;
      if (!isDashboardToken(request.body.token, token)) {
        await failedLogins(request);
        request.log.warn({ ip: request.ip, via: 'login' }, 'dashboard: wrong token');
        reply.code(401);
        return reply.view('login', { title: 'Sign in', page: 'login', wrong: true });
      }
      request.log.info({ ip: request.ip }, 'dashboard: signed in');
      reply.setCookie(SESSION_COOKIE, createSession(token, now()), {
        httpOnly: true,
        sameSite: 'strict',
        secure: request.protocol === 'https',
        path: '/',
        maxAge: SESSION_TTL_MS / 1000,
      });
      return reply.redirect('/', 303);
    },
  );

  app.post('/logout', async (_request, reply) => {
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/login', 303);
  });
}

/** The latest stored snapshot of every environment the store knows, sorted by name. */
async function latestSnapshots(store: Store): Promise<StoredSnapshot[]> {
  const snapshots: StoredSnapshot[] = [];
  for (const env of await store.environments()) {
    const snapshot = await store.latestSnapshot(env);
    if (snapshot !== undefined) snapshots.push(snapshot);
  }
  return snapshots;
}

/** The filter the page's script applies too (dashboard.js): a case-insensitive part of the key, and the row's kind. */
export function rowMatches(row: MatrixRow, query: string, filter: RowFilter): boolean {
  const text = query.trim().toLowerCase();
  if (text !== '' && !row.key.toLowerCase().includes(text)) return false;
  switch (filter) {
    case 'all':
      return true;
    case 'drift':
      return row.status !== 'same';
    case 'secret':
      return row.secret;
    default:
      return row.status === filter;
  }
}

/** `2026-11-20 14:02 UTC` from an ISO time. */
function timeOf(at: string): string {
  return `${at.slice(0, 10)} ${at.slice(11, 16)} UTC`;
}

function keyHref(key: string): string {
  return `/keys/${encodeURIComponent(key)}`;
}
