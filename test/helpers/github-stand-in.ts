import { createHash, generateKeyPairSync, type KeyObject, randomBytes, verify } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the parts of GitHub's REST API the PR bot uses: a real HTTP
 * server on 127.0.0.1 that keeps state (pull requests, their files, git
 * trees and blobs, issue comments, check runs, commit statuses, an App and
 * its installation tokens) and behaves like GitHub where the bot relies on
 * it: pagination with Link headers, 65,536-character comments, at most 50
 * annotations per check-run request, installation tokens that reach only
 * their installation's repositories. Faults can be injected per route.
 */

export interface StandInFile {
  readonly content: string | Buffer;
  /** `100644` by default; `120000` makes a symbolic link whose content is its target. */
  readonly mode?: string;
}

export type StandInFiles = Readonly<Record<string, string | StandInFile>>;

export interface ChangedFileSeed {
  readonly filename: string;
  readonly status: 'added' | 'removed' | 'modified' | 'renamed';
  readonly previous_filename?: string;
}

export interface PullRequestSeed {
  readonly owner: string;
  readonly repo: string;
  readonly number: number;
  readonly headSha: string;
  readonly baseSha: string;
  readonly headRef?: string;
  readonly baseRef?: string;
  readonly draft?: boolean;
  readonly state?: 'open' | 'closed';
  /** `owner/repo` of the head branch when it is a fork. */
  readonly headRepo?: string;
  readonly files: readonly ChangedFileSeed[];
}

export interface StandInComment {
  readonly id: number;
  readonly issue: string;
  body: string;
  readonly login: string;
}

export interface StandInCheckRun {
  readonly id: number;
  readonly repo: string;
  readonly name: string;
  readonly headSha: string;
  readonly appId: number;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion?: string;
  output?: { title?: string; summary?: string; text?: string };
  readonly annotations: Record<string, unknown>[];
  /** Annotations per request that carried some: the batching GitHub requires. */
  readonly annotationBatches: number[];
}

export interface StandInStatus {
  readonly repo: string;
  readonly sha: string;
  readonly state: string;
  readonly context: string;
  readonly description: string;
  readonly login: string;
}

export interface Fault {
  readonly method?: string;
  /** Matched against the path (no query). */
  readonly path: RegExp;
  /** The answer; absent with `delayMs`: the request is answered normally, late. */
  readonly status?: number;
  /** How many matching requests fail; then they succeed. Default: every one. */
  readonly times?: number;
  readonly headers?: Record<string, string>;
  readonly message?: string;
  /** Wait this long before answering (a timeout, when the client gives up sooner). */
  readonly delayMs?: number;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

interface Identity {
  readonly login: string;
  readonly installationId?: number;
}

interface TreeEntryRecord {
  readonly path: string;
  readonly mode: string;
  readonly type: 'blob' | 'tree' | 'commit';
  readonly sha: string;
  readonly size?: number;
}

/** GitHub refuses a comment body longer than this. */
export const MAX_COMMENT_CHARACTERS = 65_536;
const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;

/** One key pair per test process: generating one costs a tenth of a second. */
let appKeys: { privateKey: KeyObject; publicKey: KeyObject } | undefined;

export class GithubStandIn {
  readonly app = { id: 4242, slug: 'driftwatch' };
  readonly privateKey: string;
  readonly #publicKey: KeyObject;
  readonly #server: Server;
  #url = '';

  /** `owner/repo` → the installation that may read it; repositories not listed are not installed. */
  readonly installations = new Map<string, number>();
  readonly #tokens = new Map<string, Identity>();
  readonly #commits = new Map<string, Map<string, TreeEntryRecord[]>>();
  readonly #truncated = new Set<string>();
  readonly #blobs = new Map<string, Buffer>();
  readonly pulls = new Map<string, PullRequestSeed>();
  readonly comments = new Map<number, StandInComment>();
  readonly checkRuns = new Map<number, StandInCheckRun>();
  readonly statuses: StandInStatus[] = [];
  readonly requests: RecordedRequest[] = [];
  readonly #faults: { fault: Fault; left: number }[] = [];
  #nextId = 1000;

  constructor() {
    appKeys ??= generateKeyPairSync('rsa', { modulusLength: 2048 });
    // PKCS#1, as GitHub hands an App's private key out.
    this.privateKey = appKeys.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    this.#publicKey = appKeys.publicKey;
    this.#server = createServer((request, response) => {
      this.#handle(request, response).catch((error: unknown) => {
        this.#send(response, request, 500, { message: `stand-in failure: ${String(error)}` });
      });
    });
  }

  get url(): string {
    return this.#url;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.#url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** A personal token acting as `login`, with access to every repository. */
  userToken(login: string): string {
    const token = `ghp_${randomBytes(12).toString('hex')}`;
    this.#tokens.set(token, { login });
    return token;
  }

  install(owner: string, repo: string, installationId: number): void {
    this.installations.set(`${owner}/${repo}`, installationId);
  }

  /** Stores a commit's files in a repository's object store; returns its SHA. Directories appear as trees, as GitHub lists them. */
  commit(
    owner: string,
    repo: string,
    files: StandInFiles,
    options: { truncated?: boolean; sha?: string } = {},
  ): string {
    const entries: TreeEntryRecord[] = [];
    const directories = new Set<string>();
    for (const [path, file] of Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1))) {
      const { content, mode } =
        typeof file === 'string' ? { content: file, mode: '100644' } : { mode: '100644', ...file };
      const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
      const sha = createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
      this.#blobs.set(sha, bytes);
      entries.push({ path, mode, type: 'blob', sha, size: bytes.length });
      const parts = path.split('/');
      for (let end = 1; end < parts.length; end++) directories.add(parts.slice(0, end).join('/'));
    }
    for (const directory of directories) {
      entries.push({
        path: directory,
        mode: '040000',
        type: 'tree',
        sha: createHash('sha1').update(`tree ${directory}`).digest('hex'),
      });
    }
    entries.sort((a, b) => (a.path < b.path ? -1 : 1));
    const sha = options.sha ?? createHash('sha1').update(randomBytes(16)).update(JSON.stringify(entries)).digest('hex');
    const key = `${owner}/${repo}`;
    const store = this.#commits.get(key) ?? new Map<string, TreeEntryRecord[]>();
    store.set(sha, entries);
    this.#commits.set(key, store);
    if (options.truncated) this.#truncated.add(sha);
    return sha;
  }

  /** Makes a commit of one repository readable in another, as GitHub does with a fork's pull request head. */
  shareCommit(sha: string, from: string, to: string): void {
    const entries = this.#commits.get(from)?.get(sha);
    if (!entries) throw new Error(`no commit ${sha} in ${from}`);
    const store = this.#commits.get(to) ?? new Map<string, TreeEntryRecord[]>();
    store.set(sha, entries);
    this.#commits.set(to, store);
  }

  openPullRequest(seed: PullRequestSeed): void {
    this.pulls.set(`${seed.owner}/${seed.repo}#${seed.number}`, seed);
  }

  /** A new push: the pull request's head moves. */
  push(
    owner: string,
    repo: string,
    number: number,
    update: Partial<Pick<PullRequestSeed, 'headSha' | 'files' | 'draft' | 'state'>>,
  ): void {
    const key = `${owner}/${repo}#${number}`;
    const current = this.pulls.get(key);
    if (!current) throw new Error(`no pull request ${key}`);
    this.pulls.set(key, { ...current, ...update });
  }

  /** A comment written by someone else (a person, another bot). */
  addComment(owner: string, repo: string, number: number, login: string, body: string): StandInComment {
    const comment = { id: this.#nextId++, issue: `${owner}/${repo}#${number}`, body, login };
    this.comments.set(comment.id, comment);
    return comment;
  }

  commentsOn(owner: string, repo: string, number: number): StandInComment[] {
    return [...this.comments.values()].filter((comment) => comment.issue === `${owner}/${repo}#${number}`);
  }

  checkRunsFor(sha: string): StandInCheckRun[] {
    return [...this.checkRuns.values()].filter((run) => run.headSha === sha);
  }

  fail(fault: Fault): void {
    this.#faults.push({ fault, left: fault.times ?? Number.POSITIVE_INFINITY });
  }

  clearFaults(): void {
    this.#faults.length = 0;
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://stand-in');
    const method = request.method ?? 'GET';
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');

    for (const held of this.#faults) {
      if (held.left <= 0 || (held.fault.method && held.fault.method !== method) || !held.fault.path.test(url.pathname))
        continue;
      held.left--;
      if (held.fault.delayMs) await new Promise((resolve) => setTimeout(resolve, held.fault.delayMs));
      if (response.destroyed) return;
      if (held.fault.status === undefined) break;
      for (const [name, value] of Object.entries(held.fault.headers ?? {})) response.setHeader(name, value);
      this.#send(response, request, held.fault.status, { message: held.fault.message ?? 'Server Error' });
      return;
    }

    let body: Record<string, unknown> = {};
    if (raw !== '') {
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        this.#send(response, request, 400, { message: 'Problems parsing JSON' });
        return;
      }
    }
    const authorization = request.headers.authorization ?? '';
    const credential = authorization.replace(/^(token|bearer)\s+/i, '');
    const path = url.pathname;
    let match: RegExpMatchArray | null;

    match = method === 'POST' ? path.match(/^\/app\/installations\/(\d+)\/access_tokens$/) : null;
    if (match) {
      if (!this.#verifyJwt(credential))
        return this.#send(response, request, 401, { message: 'A JSON web token could not be decoded' });
      const installationId = Number(match[1]);
      if (![...this.installations.values()].includes(installationId))
        return this.#send(response, request, 404, { message: 'Not Found' });
      const token = `ghs_${randomBytes(16).toString('hex')}`;
      this.#tokens.set(token, { login: `${this.app.slug}[bot]`, installationId });
      return this.#send(response, request, 201, { token, expires_at: new Date(Date.now() + 3_600_000).toISOString() });
    }
    if (method === 'GET' && path === '/app') {
      if (!this.#verifyJwt(credential))
        return this.#send(response, request, 401, { message: 'A JSON web token could not be decoded' });
      return this.#send(response, request, 200, { id: this.app.id, slug: this.app.slug, name: 'driftwatch' });
    }

    const identity = this.#tokens.get(credential);
    if (!identity) return this.#send(response, request, 401, { message: 'Bad credentials' });
    if (method === 'GET' && path === '/user') {
      if (identity.installationId !== undefined)
        return this.#send(response, request, 403, { message: 'Resource not accessible by integration' });
      return this.#send(response, request, 200, { login: identity.login, id: 1 });
    }

    const repoMatch = path.match(/^\/repos\/([^/]+)\/([^/]+)(\/.*)$/);
    if (!repoMatch) return this.#send(response, request, 404, { message: 'Not Found' });
    const [, owner, repo, rest] = repoMatch as [string, string, string, string];
    const repoKey = `${owner}/${repo}`;
    if (identity.installationId !== undefined && this.installations.get(repoKey) !== identity.installationId) {
      return this.#send(response, request, 404, { message: 'Not Found' });
    }

    match = method === 'GET' ? rest.match(/^\/pulls\/(\d+)$/) : null;
    if (match) {
      const pull = this.pulls.get(`${repoKey}#${match[1]}`);
      if (!pull) return this.#send(response, request, 404, { message: 'Not Found' });
      return this.#send(response, request, 200, this.#pullJson(pull));
    }
    match = method === 'GET' ? rest.match(/^\/pulls\/(\d+)\/files$/) : null;
    if (match) {
      const pull = this.pulls.get(`${repoKey}#${match[1]}`);
      if (!pull) return this.#send(response, request, 404, { message: 'Not Found' });
      const files = pull.files
        .slice(0, 3000)
        .map((file) => ({ sha: '0'.repeat(40), additions: 1, deletions: 0, changes: 1, ...file }));
      return this.#page(request, response, url, files);
    }
    match = method === 'GET' ? rest.match(/^\/git\/trees\/([0-9a-f]{40})$/) : null;
    if (match) {
      const entries = this.#commits.get(repoKey)?.get(match[1] as string);
      if (!entries) return this.#send(response, request, 404, { message: 'Not Found' });
      const recursive = url.searchParams.has('recursive');
      const listed = recursive ? entries : entries.filter((entry) => !entry.path.includes('/'));
      return this.#send(response, request, 200, {
        sha: match[1],
        tree: listed,
        truncated: this.#truncated.has(match[1] as string),
      });
    }
    match = method === 'GET' ? rest.match(/^\/git\/blobs\/([0-9a-f]{40})$/) : null;
    if (match) {
      const blob = this.#blobs.get(match[1] as string);
      const reachable = [...(this.#commits.get(repoKey)?.values() ?? [])].some((entries) =>
        entries.some((entry) => entry.sha === match?.[1]),
      );
      if (!blob || !reachable) return this.#send(response, request, 404, { message: 'Not Found' });
      const content = (blob.toString('base64').match(/.{1,60}/g) ?? []).join('\n');
      return this.#send(response, request, 200, {
        sha: match[1],
        size: blob.length,
        content: `${content}\n`,
        encoding: 'base64',
      });
    }
    match = rest.match(/^\/issues\/(\d+)\/comments$/);
    if (match) {
      const issue = `${repoKey}#${match[1]}`;
      if (!this.pulls.has(issue)) return this.#send(response, request, 404, { message: 'Not Found' });
      if (method === 'GET') {
        const listed = [...this.comments.values()]
          .filter((comment) => comment.issue === issue)
          .sort((a, b) => a.id - b.id);
        return this.#page(
          request,
          response,
          url,
          listed.map((comment) => this.#commentJson(comment)),
        );
      }
      if (method === 'POST') {
        const text = typeof body.body === 'string' ? body.body : undefined;
        if (text === undefined) return this.#send(response, request, 422, { message: 'body is missing' });
        if ([...text].length > MAX_COMMENT_CHARACTERS) {
          return this.#send(response, request, 422, {
            message: 'Validation Failed',
            errors: [{ message: 'body is too long (maximum is 65536 characters)' }],
          });
        }
        const comment = { id: this.#nextId++, issue, body: text, login: identity.login };
        this.comments.set(comment.id, comment);
        return this.#send(response, request, 201, this.#commentJson(comment));
      }
    }
    match = rest.match(/^\/issues\/comments\/(\d+)$/);
    if (match) {
      const comment = this.comments.get(Number(match[1]));
      if (!comment?.issue.startsWith(`${repoKey}#`))
        return this.#send(response, request, 404, { message: 'Not Found' });
      if (comment.login !== identity.login)
        return this.#send(response, request, 403, { message: 'Must have admin rights to Repository.' });
      if (method === 'PATCH') {
        const text = typeof body.body === 'string' ? body.body : '';
        if ([...text].length > MAX_COMMENT_CHARACTERS)
          return this.#send(response, request, 422, { message: 'body is too long (maximum is 65536 characters)' });
        comment.body = text;
        return this.#send(response, request, 200, this.#commentJson(comment));
      }
      if (method === 'DELETE') {
        this.comments.delete(comment.id);
        return this.#send(response, request, 204, undefined);
      }
    }
    if (method === 'POST' && rest === '/check-runs') {
      if (identity.installationId === undefined)
        return this.#send(response, request, 403, { message: 'You must authenticate via a GitHub App.' });
      const annotations = annotationsOf(body);
      if (annotations.length > 50)
        return this.#send(response, request, 422, { message: 'Only 50 annotations are allowed per request' });
      const run: StandInCheckRun = {
        id: this.#nextId++,
        repo: repoKey,
        name: String(body.name),
        headSha: String(body.head_sha),
        appId: this.app.id,
        status: (body.status as StandInCheckRun['status'] | undefined) ?? 'queued',
        annotations: [...annotations],
        annotationBatches: annotations.length > 0 ? [annotations.length] : [],
      };
      this.checkRuns.set(run.id, run);
      return this.#send(response, request, 201, this.#checkRunJson(run));
    }
    match = method === 'PATCH' ? rest.match(/^\/check-runs\/(\d+)$/) : null;
    if (match) {
      const run = this.checkRuns.get(Number(match[1]));
      if (!run || run.repo !== repoKey) return this.#send(response, request, 404, { message: 'Not Found' });
      if (identity.installationId === undefined)
        return this.#send(response, request, 403, { message: 'You must authenticate via a GitHub App.' });
      const annotations = annotationsOf(body);
      if (annotations.length > 50)
        return this.#send(response, request, 422, { message: 'Only 50 annotations are allowed per request' });
      for (const annotation of annotations) {
        if (
          typeof annotation.path !== 'string' ||
          typeof annotation.start_line !== 'number' ||
          typeof annotation.message !== 'string'
        ) {
          return this.#send(response, request, 422, { message: 'Invalid annotation' });
        }
      }
      if (typeof body.status === 'string') run.status = body.status as StandInCheckRun['status'];
      if (typeof body.conclusion === 'string') {
        run.conclusion = body.conclusion;
        run.status = 'completed';
      }
      if (body.output && typeof body.output === 'object') {
        const output = body.output as Record<string, unknown>;
        if (typeof output.summary === 'string' && output.summary.length > 65_535)
          return this.#send(response, request, 422, { message: 'summary is too long' });
        run.output = {
          ...(typeof output.title === 'string' ? { title: output.title } : {}),
          ...(typeof output.summary === 'string' ? { summary: output.summary } : {}),
          ...(typeof output.text === 'string' ? { text: output.text } : {}),
        };
      }
      run.annotations.push(...annotations);
      if (annotations.length > 0) run.annotationBatches.push(annotations.length);
      return this.#send(response, request, 200, this.#checkRunJson(run));
    }
    match = method === 'GET' ? rest.match(/^\/commits\/([^/]+)\/check-runs$/) : null;
    if (match) {
      const name = url.searchParams.get('check_name');
      const runs = [...this.checkRuns.values()]
        .filter((run) => run.repo === repoKey && run.headSha === match?.[1] && (!name || run.name === name))
        .sort((a, b) => b.id - a.id)
        .map((run) => this.#checkRunJson(run));
      return this.#page(request, response, url, runs, (items) => ({ total_count: runs.length, check_runs: items }));
    }
    match = method === 'POST' ? rest.match(/^\/statuses\/([0-9a-f]{40})$/) : null;
    if (match) {
      const state = String(body.state);
      if (!['pending', 'success', 'failure', 'error'].includes(state))
        return this.#send(response, request, 422, { message: 'Validation Failed' });
      const description = typeof body.description === 'string' ? body.description : '';
      if (description.length > 140)
        return this.#send(response, request, 422, { message: 'description is too long (maximum is 140 characters)' });
      const status = {
        repo: repoKey,
        sha: match[1] as string,
        state,
        context: String(body.context ?? 'default'),
        description,
        login: identity.login,
      };
      this.statuses.push(status);
      return this.#send(response, request, 201, { id: this.#nextId++, ...status });
    }
    return this.#send(response, request, 404, { message: 'Not Found' });
  }

  #verifyJwt(token: string): boolean {
    const [header, payload, signature] = token.split('.');
    if (!header || !payload || !signature) return false;
    const valid = verify(
      'RSA-SHA256',
      Buffer.from(`${header}.${payload}`),
      this.#publicKey,
      Buffer.from(signature, 'base64url'),
    );
    if (!valid) return false;
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { iss?: unknown; exp?: number };
    return String(claims.iss) === String(this.app.id) && (claims.exp ?? 0) > Date.now() / 1000;
  }

  #pullJson(pull: PullRequestSeed) {
    const base = `${pull.owner}/${pull.repo}`;
    const headRepo = pull.headRepo ?? base;
    const repoJson = (fullName: string) => ({
      full_name: fullName,
      name: fullName.split('/')[1],
      owner: { login: fullName.split('/')[0] },
    });
    return {
      number: pull.number,
      state: pull.state ?? 'open',
      draft: pull.draft ?? false,
      head: { sha: pull.headSha, ref: pull.headRef ?? 'feature', repo: repoJson(headRepo) },
      base: { sha: pull.baseSha, ref: pull.baseRef ?? 'main', repo: repoJson(base) },
    };
  }

  #commentJson(comment: StandInComment) {
    return {
      id: comment.id,
      body: comment.body,
      user: { login: comment.login, type: comment.login.endsWith('[bot]') ? 'Bot' : 'User' },
    };
  }

  #checkRunJson(run: StandInCheckRun) {
    return {
      id: run.id,
      name: run.name,
      head_sha: run.headSha,
      status: run.status,
      conclusion: run.conclusion ?? null,
      app: { id: run.appId, slug: this.app.slug },
      output: { ...run.output, annotations_count: run.annotations.length },
    };
  }

  /** Pages a list as GitHub does: `per_page` (30 by default, at most 100), `page`, and a Link header. */
  #page(
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    items: readonly unknown[],
    wrap: (items: readonly unknown[]) => unknown = (page) => page,
  ): void {
    const perPage = Math.min(
      MAX_PER_PAGE,
      Math.max(1, Number(url.searchParams.get('per_page') ?? DEFAULT_PER_PAGE) || DEFAULT_PER_PAGE),
    );
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (to: number) => {
      const next = new URL(url.href);
      next.searchParams.set('page', String(to));
      next.searchParams.set('per_page', String(perPage));
      return `<${this.#url}${next.pathname}${next.search}>`;
    };
    const links: string[] = [];
    if (page < last) links.push(`${link(page + 1)}; rel="next"`, `${link(last)}; rel="last"`);
    if (page > 1) links.push(`${link(1)}; rel="first"`, `${link(page - 1)}; rel="prev"`);
    if (links.length > 0) response.setHeader('link', links.join(', '));
    this.#send(response, request, 200, wrap(items.slice((page - 1) * perPage, page * perPage)));
  }

  #send(response: ServerResponse, request: IncomingMessage, status: number, body: unknown): void {
    this.requests.push({
      method: request.method ?? 'GET',
      path: new URL(request.url ?? '/', 'http://stand-in').pathname,
      status,
    });
    if (body === undefined) {
      response.writeHead(status).end();
      return;
    }
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
  }
}

function annotationsOf(body: Record<string, unknown>): Record<string, unknown>[] {
  const output = body.output as { annotations?: unknown } | undefined;
  return Array.isArray(output?.annotations) ? (output.annotations as Record<string, unknown>[]) : [];
}
