import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceError } from '../../src/errors.js';
import { diskFileTree } from '../../src/sources/file-tree.js';
import { maskUrl, UrlSourceSpec, urlSource } from '../../src/sources/url.js';
import { asText } from './as-text.js';

/** Planted credentials: none may ever show up in an error, an origin or a description. */
const HEADER_CANARY = 'canary-header-7f3a9c2e';
const QUERY_CANARY = 'canary-query-5b1e8d04';
const PATH_CANARY = 'canary-path-91c7aa3f';
const PASSWORD_CANARY = 'canary-password-3d2f';
const env = {
  API_TOKEN: HEADER_CANARY,
  QUERY_TOKEN: QUERY_CANARY,
  PATH_TOKEN: PATH_CANARY,
  BASIC_PASSWORD: PASSWORD_CANARY,
  EMPTY: '',
};

/** `${NAME}`, as written in driftwatch.yaml. */
function variable(name: string): string {
  return `\${${name}}`;
}

let server: Server;
let base: string;
const received: { path: string; headers: IncomingHttpHeaders }[] = [];
/** Responses the server had to abandon because the client hung up. */
const abandoned: string[] = [];

/** Routes on the last path segment, so a token in the path does not matter. */
function route(pathname: string): string {
  return pathname.split('/').pop() ?? '';
}

beforeAll(async () => {
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    received.push({ path: url.pathname, headers: request.headers });
    response.on('close', () => {
      if (!response.writableFinished) abandoned.push(url.pathname);
    });
    switch (route(url.pathname)) {
      case 'config.json':
        response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        response.end('{"a": 1}\n');
        return;
      case 'config.yaml':
        response.writeHead(200, { 'content-type': 'application/yaml' });
        response.end('a: 1\n');
        return;
      case 'config.toml':
        response.writeHead(200, { 'content-type': 'application/toml' });
        response.end('a = 1\n');
        return;
      case 'plain':
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.end('A=1\n');
        return;
      case 'empty':
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end();
        return;
      case 'missing':
        response.writeHead(404, { 'content-type': 'text/plain' });
        response.end('\nNo config here\nsecond line that must not be shown\n');
        return;
      case 'boom':
        // A careless server echoing the credential back in its error page.
        response.writeHead(500, { 'content-type': 'text/plain' });
        response.end(`token ${request.headers.authorization} rejected for ${url.search}\n`);
        return;
      case 'redirect':
        response.writeHead(302, { location: `/elsewhere/config.json?token=${QUERY_CANARY}` });
        response.end();
        return;
      case 'slow': {
        const timer = setTimeout(() => response.end('{}'), 5000);
        response.on('close', () => clearTimeout(timer));
        return;
      }
      case 'slow-body': {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write('{"a":');
        const timer = setTimeout(() => response.end('1}'), 5000);
        response.on('close', () => clearTimeout(timer));
        return;
      }
      case 'endless': {
        response.writeHead(200, { 'content-type': 'text/plain' });
        const timer = setInterval(() => response.write('x'.repeat(1024)), 1);
        response.on('close', () => clearInterval(timer));
        return;
      }
      case 'large':
        response.writeHead(200, { 'content-type': 'text/plain', 'content-length': '5000' });
        response.end('x'.repeat(5000));
        return;
      default:
        response.writeHead(400);
        response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function read(raw: Record<string, unknown>) {
  return asText(await urlSource.read(UrlSourceSpec.parse(raw), { configDir: '.', env, files: diskFileTree('.') }));
}

async function sourceErrorOf(promise: Promise<unknown>): Promise<SourceError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(SourceError);
  return error as SourceError;
}

function expectNoCanary(text: string): void {
  for (const canary of [HEADER_CANARY, QUERY_CANARY, PATH_CANARY, PASSWORD_CANARY]) {
    expect(text).not.toContain(canary);
  }
}

/** Every way an error can be shown: its message, its problems, its serialised form. */
function everythingShown(error: SourceError): string {
  return [error.message, JSON.stringify(error.problems), JSON.stringify(error), String(error.stack)].join('\n');
}

describe('sources/url', () => {
  it('reads a JSON document and takes its format from the Content-Type', async () => {
    expect(await read({ url: `${base}/config.json` })).toEqual([
      { origin: `${base}/config.json`, text: '{"a": 1}\n', formatHint: 'json' },
    ]);
  });

  it('recognises YAML and TOML content types, and leaves others to the detector', async () => {
    const [yaml] = await read({ url: `${base}/config.yaml` });
    const [toml] = await read({ url: `${base}/config.toml` });
    const [plain] = await read({ url: `${base}/plain` });
    expect(yaml).toEqual({ origin: `${base}/config.yaml`, text: 'a: 1\n', formatHint: 'yaml' });
    expect(toml).toMatchObject({ formatHint: 'toml' });
    expect(plain).toEqual({ origin: `${base}/plain`, text: 'A=1\n' });
  });

  it('fills variables in headers and the URL from the environment, and masks them in the origin', async () => {
    const spec = {
      url: `${base}/t/${variable('PATH_TOKEN')}/config.json?token=${variable('QUERY_TOKEN')}&region=eu`,
      headers: { Authorization: `Bearer ${variable('API_TOKEN')}` },
    };
    const [document] = await read(spec);
    const request = received.at(-1);
    expect(request?.headers.authorization).toBe(`Bearer ${HEADER_CANARY}`);
    expect(request?.path).toBe(`/t/${PATH_CANARY}/config.json`);
    expect(document?.origin).toBe(`${base}/t/${variable('PATH_TOKEN')}/config.json?token=***&region=***`);
    expect(urlSource.describe(UrlSourceSpec.parse(spec))).toBe(
      `${base}/t/${variable('PATH_TOKEN')}/config.json?token=${variable('QUERY_TOKEN')}&region=***`,
    );
    expectNoCanary(JSON.stringify(document?.origin));
  });

  it('sends a user and password in the URL as basic authentication, masking the password', async () => {
    const spec = { url: `http://deploy:${variable('BASIC_PASSWORD')}@${base.slice('http://'.length)}/config.json` };
    const [document] = await read(spec);
    const expected = Buffer.from(`deploy:${PASSWORD_CANARY}`).toString('base64');
    expect(received.at(-1)?.headers.authorization).toBe(`Basic ${expected}`);
    expect(document?.origin).toBe(`http://deploy:***@${base.slice('http://'.length)}/config.json`);
    expect(urlSource.describe(UrlSourceSpec.parse(spec))).toBe(spec.url);
    const literal = UrlSourceSpec.parse({ url: `http://deploy:hunter2@example.com/x?key=abc` });
    expect(urlSource.describe(literal)).toBe('http://deploy:***@example.com/x?key=***');
  });

  it('fails, sending nothing, when a variable is not set', async () => {
    const before = received.length;
    const error = await sourceErrorOf(
      read({ url: `${base}/config.json`, headers: { Authorization: `Bearer ${variable('MISSING_TOKEN')}` } }),
    );
    expect(error.problems).toEqual([
      {
        source: `${base}/config.json`,
        message: 'environment variable MISSING_TOKEN is not set (used in header Authorization)',
      },
    ]);
    await expect(read({ url: `${base}/${variable('EMPTY')}/config.json` })).rejects.toThrow(
      'environment variable EMPTY is not set (used in url)',
    );
    expect(received.length).toBe(before);
  });

  it('fails on 404 with the status and the first line of the body only', async () => {
    const error = await sourceErrorOf(read({ url: `${base}/missing` }));
    expect(error.problems).toEqual([
      { source: `${base}/missing`, file: `${base}/missing`, message: 'HTTP 404 Not Found: No config here' },
    ]);
  });

  it('fails on 500 without repeating credentials the server echoed', async () => {
    const error = await sourceErrorOf(
      read({
        url: `${base}/boom?token=${variable('QUERY_TOKEN')}`,
        headers: { Authorization: `Bearer ${variable('API_TOKEN')}` },
      }),
    );
    expect(error.problems[0]?.message).toBe('HTTP 500 Internal Server Error: token *** rejected for ?token=***');
    expect(error.problems[0]?.file).toBe(`${base}/boom?token=***`);
    expectNoCanary(everythingShown(error));
  });

  it('does not follow redirects, so headers only go where the config says', async () => {
    const before = received.length;
    const error = await sourceErrorOf(
      read({ url: `${base}/redirect`, headers: { 'X-Api-Key': variable('API_TOKEN') } }),
    );
    expect(error.problems[0]?.message).toBe(
      `HTTP 302 Found: redirected to ${base}/elsewhere/config.json?token=***; point the source at the final URL (redirects are not followed, so headers only go where the config says)`,
    );
    expect(received.length).toBe(before + 1);
    expectNoCanary(everythingShown(error));
  });

  it('times out when the server does not answer in time', async () => {
    const started = Date.now();
    const error = await sourceErrorOf(
      read({
        url: `${base}/slow?token=${variable('QUERY_TOKEN')}`,
        headers: { Authorization: variable('API_TOKEN') },
        timeout: '200ms',
      }),
    );
    expect(error.problems[0]?.message).toBe('timed out after 200ms');
    expect(Date.now() - started).toBeLessThan(3000);
    expectNoCanary(everythingShown(error));
  });

  it('times out when the body stalls after the headers', async () => {
    const error = await sourceErrorOf(read({ url: `${base}/slow-body`, timeout: '200ms' }));
    expect(error.problems[0]?.message).toBe('timed out after 200ms');
  });

  it('stops reading a body as soon as it passes maxBytes', async () => {
    const started = Date.now();
    const error = await sourceErrorOf(read({ url: `${base}/endless`, maxBytes: '1KiB' }));
    expect(error.problems[0]?.message).toBe('the response is larger than 1KiB (maxBytes)');
    expect(Date.now() - started).toBeLessThan(3000);
    await expect.poll(() => abandoned).toContain('/endless');
  });

  it('refuses a body whose declared length is over maxBytes', async () => {
    const error = await sourceErrorOf(read({ url: `${base}/large`, maxBytes: '1KiB' }));
    expect(error.problems[0]?.message).toBe('the response is larger than 1KiB (maxBytes)');
    expect((await read({ url: `${base}/large`, maxBytes: '5000B' }))[0]).toMatchObject({ origin: `${base}/large` });
  });

  it('fails closed on an empty body', async () => {
    await expect(read({ url: `${base}/empty` })).rejects.toThrow('HTTP 200 with an empty body');
  });

  it('fails when nothing listens, naming the reason', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await sourceErrorOf(
      read({ url: `http://127.0.0.1:${port}/config.json`, headers: { Authorization: variable('API_TOKEN') } }),
    );
    expect(error.problems[0]?.message).toBe('request failed: ECONNREFUSED');
    expectNoCanary(everythingShown(error));
  });

  it('accepts only http and https URLs and well-formed variables', () => {
    const messages = (raw: unknown) => UrlSourceSpec.safeParse(raw).error?.issues.map((issue) => issue.message);
    expect(messages({ url: 'file:///etc/passwd' })).toEqual(['url must be an http:// or https:// URL']);
    expect(messages({ url: 'ftp://example.com/a.yaml' })).toEqual(['url must be an http:// or https:// URL']);
    expect(messages({ url: 'https://example.com/${TOKEN' })).toEqual([
      `'\${' must start a variable reference such as \${API_TOKEN}`,
    ]);
    expect(UrlSourceSpec.safeParse({ url: 'https://example.com', header: {} }).success).toBe(false);
    expect(UrlSourceSpec.parse({ url: 'https://example.com', timeout: '5s', maxBytes: '1MB' })).toEqual({
      url: 'https://example.com',
      timeout: 5000,
      maxBytes: 1_000_000,
    });
  });

  it('masks every query value and the password of a URL', () => {
    const url = new URL('https://user:pw@example.com/a/b?x=1&y=&z');
    expect(maskUrl(url, new Map())).toBe('https://user:***@example.com/a/b?x=***&y=***&z=***');
  });
});
