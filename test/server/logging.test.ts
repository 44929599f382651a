import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, secretScrubber } from '../../src/server/logger.js';
import { loadServerSettings, secretSettingValues } from '../../src/server/settings.js';
import { startService } from '../../src/server/start-server.js';
import { examplePayload, signedDelivery } from './deliveries.js';
import { type Harness, sqliteHarness, waitFor } from './harness.js';

const SECRET = 'whsec_CANARY_9f8e7d';
const TOKEN = 'ghp_CANARY_1a2b3c4d5e6f';
const COOKIE = 'session=CANARY_cookie_77';
const CANARIES = [SECRET, TOKEN, 'CANARY_cookie_77'];

function parsed(lines: string[]): Record<string, unknown>[] {
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

function expectNoCanary(lines: string[]): void {
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) {
    for (const canary of CANARIES) expect(line).not.toContain(canary);
    expect(line).not.toContain('CANARY');
  }
}

describe('server/logging', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('logs deliveries and failures as JSON, with no secret from headers, settings or error messages', async () => {
    const lines: string[] = [];
    const settings = loadServerSettings({ GITHUB_WEBHOOK_SECRET: SECRET, GITHUB_TOKEN: TOKEN }, { cwd: tmpdir() });
    const logger = createLogger({
      level: 'debug',
      secrets: secretSettingValues(settings),
      destination: { write: (line) => lines.push(line) },
    });
    harness = await sqliteHarness({
      secrets: [SECRET],
      logger,
      analyze: async () => {
        // An error that quotes a credential, as a careless client library might.
        throw new Error(`GitHub refused the token ${TOKEN}`);
      },
    });
    const headers = { authorization: `token ${TOKEN}`, cookie: COOKIE };
    const good = await signedDelivery('pull_request', examplePayload('pull_request', 'opened'), SECRET);
    expect((await harness.deliver(good, headers)).statusCode).toBe(202);
    const forged = await signedDelivery('pull_request', examplePayload('pull_request', 'opened'), 'forger');
    expect((await harness.deliver(forged, headers)).statusCode).toBe(401);
    await waitFor(() => lines.some((line) => line.includes('analysis failed')));
    // Fields named like secrets are redacted wherever they sit.
    logger.info({ github: { auth: { token: TOKEN, privateKey: 'CANARY key' }, webhookSecrets: [SECRET] } }, 'settings');

    expectNoCanary(lines);
    const entries = parsed(lines);
    expect(entries.find((entry) => entry.msg === 'webhook delivery')).toMatchObject({
      level: 'info',
      delivery: good.id,
      event: 'pull_request',
      action: 'opened',
      outcome: 'queued',
      statusCode: 202,
    });
    const refused = entries.find((entry) => entry.msg === 'webhook delivery refused');
    expect(refused).toMatchObject({ level: 'warn', delivery: forged.id, outcome: 'unauthorized', statusCode: 401 });
    expect(refused?.headers).toMatchObject({
      authorization: '[Redacted]',
      cookie: '[Redacted]',
      'x-hub-signature-256': '[Redacted]',
      'x-github-delivery': forged.id,
      'x-github-event': 'pull_request',
    });
    expect(entries.find((entry) => entry.msg === 'analysis failed; it will be retried')).toMatchObject({
      level: 'warn',
      error: { name: 'Error', message: 'GitHub refused the token [Redacted]' },
    });
    expect(entries.find((entry) => entry.msg === 'settings')).toEqual(
      expect.objectContaining({
        github: { auth: { token: '[Redacted]', privateKey: '[Redacted]' }, webhookSecrets: '[Redacted]' },
      }),
    );
  });

  it('logs the settings it starts with, and its lifecycle, without a secret', async () => {
    const lines: string[] = [];
    const dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-logging-'));
    try {
      const settings = loadServerSettings(
        { PORT: '0', GITHUB_WEBHOOK_SECRET: `${SECRET},old_CANARY_secret`, GITHUB_TOKEN: TOKEN },
        { cwd: dir },
      );
      const service = await startService({
        settings,
        createAnalyzer: () => async () => undefined,
        handleSignals: false,
        logDestination: { write: (line) => lines.push(line) },
      });
      await service.stop('test');
      await service.stopped;
      expectNoCanary(lines);
      const entries = parsed(lines);
      expect(entries.map((entry) => entry.msg)).toEqual([
        'starting',
        `Server listening at http://127.0.0.1:${service.address.port}`,
        'listening',
        'draining: no new work; running jobs may finish',
        'stopped',
      ]);
      expect(entries[0]).toMatchObject({
        githubBot: 'token auth, 2 webhook secret(s)',
        githubApiUrl: 'https://api.github.com',
        queue: 'in-process',
        store: path.join(dir, '.driftwatch', 'driftwatch.db'),
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('scrubs every spelling of a secret a JSON line can hold, PEM lines included', () => {
    const pem =
      '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo\nabc\n-----END RSA PRIVATE KEY-----';
    const scrub = secretScrubber(['pa"ss\\word', pem, 'ab']);
    expect(scrub(JSON.stringify({ message: 'pa"ss\\word rejected' }))).toBe('{"message":"[Redacted] rejected"}');
    expect(scrub(JSON.stringify({ message: `bad key ${pem}` }))).toBe('{"message":"bad key [Redacted]"}');
    expect(scrub('{"message":"line MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo leaked"}')).toBe(
      '{"message":"line [Redacted] leaked"}',
    );
    // Too short to scrub without mangling every line; settings never hold one so short.
    expect(scrub('{"msg":"about"}')).toBe('{"msg":"about"}');
  });
});
