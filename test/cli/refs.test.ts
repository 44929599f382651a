import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from './io.js';

const onboarding = path.resolve(import.meta.dirname, '../../examples/onboarding-outage');

describe('cli/refs on the onboarding example', () => {
  it('lists each key with where the code reads it and which environments define it', async () => {
    const result = await run(onboarding, ['refs', '--format', 'json']);
    expect(result.code).toBe(0);
    const table = JSON.parse(result.stdout);
    const row = (key: string) => table.keys.find((candidate: { key: string }) => candidate.key === key);
    expect(row('GLOBAL_OAUTH_CLIENT_SECRET')).toEqual({
      key: 'GLOBAL_OAUTH_CLIENT_SECRET',
      envs: ['production'],
      reads: [],
    });
    expect(row('OAUTH_TENANT_ISSUER')).toEqual({
      key: 'OAUTH_TENANT_ISSUER',
      envs: ['staging'],
      reads: [{ file: 'src/onboarding.js', line: 7, column: 13, style: 'env' }],
    });
    expect(row('db.port').reads[0]).toMatchObject({ file: 'src/server.js', style: 'dotted' });
    expect(table.scan.files).toBe(2);
  });

  it('prints a table a person can read', async () => {
    const result = await run(onboarding, ['refs']);
    expect(result.stdout).toMatch(/^KEY\s+READ AT\s+DEFINED IN$/m);
    expect(result.stdout).toMatch(/^GLOBAL_OAUTH_CLIENT_ID\s+nothing reads it\s+production$/m);
    expect(result.stdout).toContain('25 keys: 4 read by no code, 0 read but configured nowhere.');
  });

  it('asks for a references block when there is none', async () => {
    const backups = path.resolve(import.meta.dirname, '../../examples/silent-backups');
    const result = await run(backups, ['refs']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("add a 'references:' block");
  });
});

describe('cli/check with references', () => {
  it('reports the retired credential as both forbidden and unreferenced, and what production lacks', async () => {
    const result = await run(onboarding, ['check', '--format', 'json']);
    const findings = JSON.parse(result.stdout).findings as { rule: string; key: string; envs: string[] }[];
    const about = (key: string) => findings.filter((finding) => finding.key === key).map((finding) => finding.rule);
    expect(about('GLOBAL_OAUTH_CLIENT_SECRET')).toEqual(['retired-global-oauth', 'parity', 'stale-keys']);
    expect(about('oauth.global.client_id')).toEqual(['retired-global-oauth', 'parity', 'stale-keys']);
    expect(findings.find((finding) => finding.rule === 'read-but-missing')).toMatchObject({
      key: 'OAUTH_TENANT_ISSUER',
      envs: ['production'],
    });
  });
});
