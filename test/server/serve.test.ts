import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteDatabase } from '../../src/store/sqlite-driver.js';
import { compileCli } from './compile-cli.js';
import { examplePayload, signedDelivery } from './deliveries.js';
import { SECRET, waitFor } from './harness.js';
import { type ServiceProcess, spawnService } from './service-process.js';

const GITHUB_ENV = {
  GITHUB_WEBHOOK_SECRET: SECRET,
  GITHUB_TOKEN: 'ghp_not-used-by-this-test',
  GITHUB_API_URL: 'http://127.0.0.1:9',
};

describe('driftwatch serve as a process', () => {
  let cli: string;
  let cwd: string;
  let service: ServiceProcess | undefined;
  beforeAll(async () => {
    cli = await compileCli();
  }, 180_000);
  afterAll(() => rmSync(cli, { recursive: true, force: true }));
  afterEach(async () => {
    service?.kill('SIGKILL');
    await service?.exited;
    service = undefined;
    rmSync(cwd, { recursive: true, force: true });
  });
  const start = (env: Record<string, string>, fixture = false, args: readonly string[] = [], files = {}) => {
    cwd = mkdtempSync(path.join(tmpdir(), 'driftwatch-serve-'));
    for (const [name, text] of Object.entries<string>(files)) writeFileSync(path.join(cwd, name), text);
    const command = fixture ? undefined : [path.join(cli, 'bin/driftwatch.js')];
    service = spawnService({ PORT: '0', HOST: '127.0.0.1', ...env }, command, cwd, args);
    return service;
  };
  const url = async (route: string) => `http://127.0.0.1:${await (service as ServiceProcess).port}${route}`;
  const deliver = async () => {
    const delivery = await signedDelivery('pull_request', examplePayload('pull_request', 'synchronize'), SECRET);
    return fetch(await url('/webhooks/github'), { method: 'POST', headers: delivery.headers, body: delivery.body });
  };

  it('bin/driftwatch.js serve: answers its probes, and exits 0 on SIGTERM', async () => {
    const running = start({});
    const health = await fetch(await url('/healthz'));
    expect(health.status).toBe(200);
    expect(await (await fetch(await url('/readyz'))).json()).toEqual({
      status: 'ready',
      store: 'ok',
      queue: 'ok',
      engine: 'in-process',
    });
    // No GitHub settings: no webhook route.
    expect((await fetch(await url('/webhooks/github'), { method: 'POST' })).status).toBe(404);
    running.kill('SIGTERM');
    expect(await running.exited).toEqual({ code: 0, signal: null });
    expect(running.logs.map((entry) => entry.msg)).toEqual(
      expect.arrayContaining(['starting', 'listening', 'draining: no new work; running jobs may finish', 'stopped']),
    );
    expect(existsSync(path.join(cwd, '.driftwatch', 'driftwatch.db'))).toBe(true);
  });

  it('bin/driftwatch.js serve with a bad setting: one line, exit 2, nothing opened', async () => {
    const running = start({ PORT: 'http' });
    expect(await running.exited).toEqual({ code: 2, signal: null });
    expect(running.stderr()).toBe('error: PORT: must be a port number from 0 to 65535 (got "http")\n');
    expect(existsSync(path.join(cwd, '.driftwatch'))).toBe(false);
  });

  it('bin/driftwatch.js serve -c with a bad schedule or time zone: file:line:column, exit 2, nothing opened', async () => {
    const config = [
      'version: 1',
      'environments:',
      '  staging: {sources: [{path: staging.env}]}',
      'snapshot: {schedule: "*/15 * * *"}',
      'report: {schedule: "0 8 * * 1-5", timezone: Europe/Atlantis}',
    ].join('\n');
    const running = start({}, false, ['-c', 'driftwatch.yaml'], { 'driftwatch.yaml': config });
    expect(await running.exited).toEqual({ code: 2, signal: null });
    expect(running.stderr()).toBe(
      [
        'error: driftwatch.yaml:4:22: snapshot.schedule: a schedule is a cron expression of five fields (minute hour day month weekday), such as "0 8 * * 1-5"; got 4',
        "error: driftwatch.yaml:5:45: report.timezone: unknown time zone 'Europe/Atlantis'; expected an IANA name such as Europe/Berlin or UTC",
        '',
      ].join('\n'),
    );
    expect(existsSync(path.join(cwd, '.driftwatch'))).toBe(false);
  });

  it('bin/driftwatch.js serve -c with a report schedule and no webhook: says which variable, exit 2', async () => {
    const config = [
      'version: 1',
      'environments:',
      '  staging: {sources: [{path: staging.env}]}',
      'report: {schedule: "0 8 * * 1-5"}',
    ].join('\n');
    const running = start({}, false, ['-c', 'driftwatch.yaml'], { 'driftwatch.yaml': config });
    expect(await running.exited).toEqual({ code: 2, signal: null });
    expect(running.stderr()).toBe(
      'error: report.slack.webhook: no Slack webhook: set SLACK_WEBHOOK_URL, or name the variable that holds it in report.slack.webhook\n',
    );
  });

  it('SIGTERM while an analysis runs: webhooks get 503, the analysis finishes, then the process exits 0', async () => {
    const running = start({ ...GITHUB_ENV, FIXTURE_ANALYSIS_MS: '1500', DRIFTWATCH_DRAIN_TIMEOUT: '20s' }, true);
    expect((await deliver()).status).toBe(202);
    await waitFor(() => running.records.some((record) => record.event === 'started'));
    running.kill('SIGTERM');
    await waitFor(() => running.logs.some((entry) => String(entry.msg).startsWith('draining')));
    const refused = await deliver();
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('30');
    expect((await fetch(await url('/readyz'))).status).toBe(503);
    expect(await running.exited).toEqual({ code: 0, signal: null });
    expect(running.records.map((record) => record.event)).toEqual(['started', 'completed']);
    const messages = running.logs.map((entry) => entry.msg);
    expect(messages.indexOf('analysis run ended')).toBeGreaterThan(
      messages.indexOf('draining: no new work; running jobs may finish'),
    );
    expect(messages.indexOf('stopped')).toBeGreaterThan(messages.indexOf('analysis run ended'));
  });

  it('SIGTERM with an analysis longer than the drain timeout: it is stopped and its delivery made redeliverable', async () => {
    const running = start({ ...GITHUB_ENV, FIXTURE_ANALYSIS_MS: '60000', DRIFTWATCH_DRAIN_TIMEOUT: '1s' }, true);
    const accepted = await deliver();
    expect(accepted.status).toBe(202);
    const { delivery } = (await accepted.json()) as { delivery: string };
    await waitFor(() => running.records.some((record) => record.event === 'started'));
    const rows = () => {
      const database = openSqliteDatabase(path.join(cwd, '.driftwatch', 'driftwatch.db'), { readonly: true });
      try {
        return database.prepare('select delivery_id from webhook_deliveries').all();
      } finally {
        database.close();
      }
    };
    expect(rows()).toEqual([{ delivery_id: delivery }]);
    const signalled = Date.now();
    running.kill('SIGTERM');
    expect(await running.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalled).toBeLessThan(10_000);
    expect(running.records.map((record) => [record.event, record.reason])).toEqual([
      ['started', undefined],
      ['aborted', 'shutdown'],
    ]);
    expect(running.logs).toContainEqual(
      expect.objectContaining({
        msg: 'analysis lost at shutdown; redeliver it from the GitHub App settings',
        delivery,
      }),
    );
    expect(rows()).toEqual([]);
  });
});
