import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check/run-check.js';
import { openTreeWorkspace } from '../../src/check/workspace.js';
import { ConfigError } from '../../src/errors.js';
import { memoryFileTree } from '../../src/sources/file-tree.js';

const CONFIG = `version: 1
environments:
  staging:
    sources: [{path: config/staging.yaml}]
  production:
    sources: [{path: "config/production*.yaml"}]
rules: [rules/*.yaml]
`;

const PACK = `rules:
  - {id: same-timeouts, kind: equal, keys: [http.timeout]}
  - {id: no-global-oauth, kind: forbid, keys: [oauth.global.*]}
`;

function tree(files: Record<string, string>) {
  return memoryFileTree(new Map(Object.entries(files)));
}

async function workspaceOf(files: Record<string, string>) {
  return openTreeWorkspace({
    files: tree(files),
    configFile: 'driftwatch.yaml',
    dir: 'acme/api@1a2b3c4',
    fingerprintKey: Buffer.alloc(32, 1),
    env: {},
  });
}

describe('check/run-check over a file tree that is not a work tree', () => {
  it('reads the config, its rule packs and path sources from the tree alone', async () => {
    const workspace = await workspaceOf({
      'driftwatch.yaml': CONFIG,
      'rules/app.yaml': PACK,
      'config/staging.yaml': 'http: {timeout: 5}\n',
      'config/production.yaml': 'http: {timeout: 30}\noauth: {global: {client_id: abc}}\n',
    });
    const { report, incomplete } = await runCheck(workspace, { now: new Date('2026-12-01T00:00:00Z') });
    expect(incomplete).toBe(false);
    expect(report.environments.map((environment) => [environment.name, environment.keys])).toEqual([
      ['staging', 1],
      ['production', 2],
    ]);
    expect(report.findings.map((finding) => [finding.rule, finding.key, finding.envs])).toEqual([
      ['same-timeouts', 'http.timeout', ['production', 'staging']],
      ['no-global-oauth', 'oauth.global.client_id', ['production']],
    ]);
    expect(report.findings[1]?.locations).toEqual([
      { env: 'production', file: 'config/production.yaml', line: 2, column: 29, inRepository: true },
    ]);
  });

  it('fails closed when a file the config names is not in the tree', async () => {
    const workspace = await workspaceOf({
      'driftwatch.yaml': CONFIG,
      'rules/app.yaml': PACK,
      'config/production.yaml': 'http: {timeout: 30}\n',
    });
    const { report, incomplete } = await runCheck(workspace);
    expect(incomplete).toBe(true);
    expect(report.findings).toEqual([]);
    expect(report.errors).toEqual([
      {
        source: 'config/staging.yaml',
        env: 'staging',
        file: 'config/staging.yaml',
        message: 'file not found',
        inRepository: true,
      },
    ]);
  });

  it('cannot read outside the tree, whatever the path says', async () => {
    const workspace = await workspaceOf({
      'driftwatch.yaml': CONFIG.replace('config/staging.yaml', '../../etc/passwd'),
      'rules/app.yaml': PACK,
      'config/production.yaml': 'http: {timeout: 30}\n',
    });
    const { report } = await runCheck(workspace);
    expect(report.errors.map((error) => error.message)).toEqual(['file not found']);
  });

  it('names a missing config file as a config error', async () => {
    await expect(workspaceOf({})).rejects.toThrow(ConfigError);
    await expect(workspaceOf({})).rejects.toThrow('driftwatch.yaml: cannot read the config file: file not found');
  });
});
