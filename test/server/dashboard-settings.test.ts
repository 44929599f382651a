import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, formatProblem } from '../../src/errors.js';
import { loadServerSettings, secretSettingValues } from '../../src/server/settings.js';
import { run } from '../cli/io.js';

const CWD = mkdtempSync(path.join(tmpdir(), 'driftwatch-dashboard-settings-'));
afterAll(() => rmSync(CWD, { recursive: true, force: true }));

const TOKEN = 'dash-CANARY-token-0123456789';

function problems(env: Record<string, string>): string[] {
  try {
    loadServerSettings(env, { cwd: CWD });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map(formatProblem);
    throw error;
  }
  return [];
}

describe('server/settings: the dashboard', () => {
  it('is off when neither setting is given, or when DRIFTWATCH_DASHBOARD_PUBLIC is false', () => {
    expect(loadServerSettings({}, { cwd: CWD }).dashboard).toBeUndefined();
    expect(loadServerSettings({ DRIFTWATCH_DASHBOARD_PUBLIC: 'false' }, { cwd: CWD }).dashboard).toBeUndefined();
  });

  it('is behind the token when DRIFTWATCH_DASHBOARD_TOKEN is set, and the logger scrubs the token', () => {
    const settings = loadServerSettings({ DRIFTWATCH_DASHBOARD_TOKEN: TOKEN }, { cwd: CWD });
    expect(settings.dashboard).toEqual({ access: 'token', token: TOKEN });
    expect(secretSettingValues(settings)).toEqual([TOKEN]);
    expect(
      loadServerSettings({ DRIFTWATCH_DASHBOARD_TOKEN: TOKEN, DRIFTWATCH_DASHBOARD_PUBLIC: 'false' }, { cwd: CWD })
        .dashboard,
    ).toEqual({ access: 'token', token: TOKEN });
  });

  it('is public only when DRIFTWATCH_DASHBOARD_PUBLIC=true says so', () => {
    const settings = loadServerSettings({ DRIFTWATCH_DASHBOARD_PUBLIC: 'true' }, { cwd: CWD });
    expect(settings.dashboard).toEqual({ access: 'public' });
    expect(secretSettingValues(settings)).toEqual([]);
  });

  it('refuses a short or spaced token without repeating it, a public flag that is not true or false, and both at once', () => {
    expect(problems({ DRIFTWATCH_DASHBOARD_TOKEN: 'CANARY-short' })).toEqual([
      'DRIFTWATCH_DASHBOARD_TOKEN: must be at least 16 characters (e.g. openssl rand -hex 32)',
    ]);
    expect(problems({ DRIFTWATCH_DASHBOARD_TOKEN: 'CANARY with spaces in it' })).toEqual([
      'DRIFTWATCH_DASHBOARD_TOKEN: must be a token, without spaces',
    ]);
    expect(problems({ DRIFTWATCH_DASHBOARD_PUBLIC: 'yes' })).toEqual([
      'DRIFTWATCH_DASHBOARD_PUBLIC: must be true or false (got "yes")',
    ]);
    expect(problems({ DRIFTWATCH_DASHBOARD_TOKEN: TOKEN, DRIFTWATCH_DASHBOARD_PUBLIC: 'true' })).toEqual([
      'DRIFTWATCH_DASHBOARD_PUBLIC: is true while DRIFTWATCH_DASHBOARD_TOKEN is set: a public dashboard asks for no token; unset one of them',
    ]);
  });

  it('stops driftwatch serve with exit code 2 on a bad dashboard setting, the token never shown', async () => {
    const result = await run(CWD, ['serve'], { DRIFTWATCH_DASHBOARD_TOKEN: 'CANARY-short' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('DRIFTWATCH_DASHBOARD_TOKEN: must be at least 16 characters');
    expect(`${result.stdout}${result.stderr}`).not.toContain('CANARY');
  });
});
