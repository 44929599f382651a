import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './io.js';

/**
 * Canary values planted in every way a secret reaches driftwatch: by key
 * name, by value shape, as a URL password, in a Kubernetes Secret (base64 and
 * stringData), in a file that fails to parse. None may appear in any output.
 */
const CANARIES = {
  byName: 'canary-by-name-7f3a91',
  byShape: 'ghp_CANARYcanaryCANARYcanaryCANARY123456',
  urlPassword: 'canary-url-pass-55e1',
  secretData: 'canary-k8s-data-0b7c',
  stringData: 'canary-k8s-stringdata-91d4',
  brokenFile: 'canary-in-broken-file-3c2e',
};

let dir = '';

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-canary-'));
  const files: Record<string, string> = {
    'driftwatch.yaml': [
      'version: 1',
      'environments:',
      '  staging: {sources: [{path: staging.env}, {path: staging-secret.yaml}]}',
      '  production: {sources: [{path: production.env}, {path: production-secret.yaml}]}',
      'rules: [driftwatch:recommended, rules.yaml]',
    ].join('\n'),
    'rules.yaml': [
      'rules:',
      '  - {id: all-equal, kind: equal, keys: ["**"]}',
      '  - {id: all-match, kind: match, keys: ["**"], pattern: "^nothing-matches-this$"}',
      '  - {id: no-api-token, kind: forbid, keys: ["*TOKEN*"]}',
    ].join('\n'),
    'staging.env': [
      `API_PASSWORD=${CANARIES.byName}`,
      `NOTES=${CANARIES.byShape}`,
      `DATABASE_URL=postgres://app:${CANARIES.urlPassword}@db:5432/app`,
      'GITHUB_TOKEN=${FROM_VAULT}',
    ].join('\n'),
    'production.env': [
      `API_PASSWORD=${CANARIES.byName}`,
      `NOTES=${CANARIES.byShape}x`,
      `DATABASE_URL=postgres://app:${CANARIES.urlPassword}@db.prod:5432/app`,
    ].join('\n'),
    'staging-secret.yaml': [
      'apiVersion: v1',
      'kind: Secret',
      'metadata: {name: app}',
      `data: {token: ${Buffer.from(CANARIES.secretData).toString('base64')}}`,
      `stringData: {extra: ${CANARIES.stringData}}`,
    ].join('\n'),
    'production-secret.yaml': [
      'apiVersion: v1',
      'kind: Secret',
      'metadata: {name: app}',
      `data: {token: ${Buffer.from(`${CANARIES.secretData}-prod`).toString('base64')}}`,
    ].join('\n'),
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function expectNoCanary(text: string, where: string) {
  for (const [kind, canary] of Object.entries(CANARIES)) {
    expect(text.includes(canary), `${kind} canary in ${where}`).toBe(false);
  }
}

describe('secrets never leave', () => {
  it('appear in no report, diff or snapshot, in any format', async () => {
    const commands = [
      ...['text', 'json', 'markdown', 'sarif', 'junit', 'github'].map((format) => ['check', '--format', format]),
      ['diff', 'staging', 'production'],
      ['diff', 'staging', 'production', '--format', 'json'],
      ['snapshot', '--all'],
      ['snapshot', '--all', '--format', 'json'],
    ];
    for (const args of commands) {
      const result = await run(dir, args, { FROM_VAULT: 'x' });
      expect(result.code, args.join(' ')).not.toBe(2);
      expectNoCanary(result.stdout + result.stderr, args.join(' '));
    }
  });

  it('are still compared: a shared secret is found by fingerprint', async () => {
    const result = await run(dir, ['check', '--format', 'json']);
    const shared = JSON.parse(result.stdout).findings.filter(
      (finding: { rule: string }) => finding.rule === 'no-shared-secrets',
    );
    expect(shared.map((finding: { key: string }) => finding.key)).toEqual(['API_PASSWORD']);
    expect(shared[0].values.staging).toMatch(/^fp:[0-9a-f]{8}$/);
  });

  it('do not leak through parse errors or files written by --format=FILE and baseline', async () => {
    writeFileSync(path.join(dir, 'broken.yaml'), `password: ${CANARIES.brokenFile}\n  bad: [indent\n`);
    writeFileSync(
      path.join(dir, 'broken.yaml.driftwatch.yaml'),
      'version: 1\nenvironments:\n  x: {sources: [{path: broken.yaml}]}\n',
    );
    const broken = await run(dir, ['check', '-c', 'broken.yaml.driftwatch.yaml', '--format', 'json']);
    expect(broken.code).toBe(2);
    expectNoCanary(broken.stdout + broken.stderr, 'parse error');

    await run(dir, ['check', '--format', `sarif=${path.join(dir, 'out.sarif')}`]);
    await run(dir, ['baseline', '--output', path.join(dir, 'baseline.json')]);
    for (const file of ['out.sarif', 'baseline.json']) expectNoCanary(readFileSync(path.join(dir, file), 'utf8'), file);
  });

  it('keep the generated fingerprint key private to its owner', async () => {
    const result = await run(dir, ['snapshot', '--env', 'staging'], { DRIFTWATCH_FINGERPRINT_KEY: '' });
    expect(result.code).toBe(0);
    const keyFile = path.join(dir, '.driftwatch', 'fingerprint.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyFile, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
    // A second run reuses the key: fingerprints stay comparable over time.
    const again = await run(dir, ['snapshot', '--env', 'staging'], { DRIFTWATCH_FINGERPRINT_KEY: '' });
    expect(again.stdout.replace(/taken [^)]+/, '')).toBe(result.stdout.replace(/taken [^)]+/, ''));
    expect(readdirSync(path.join(dir, '.driftwatch'))).toEqual(['fingerprint.key']);
  });
});
