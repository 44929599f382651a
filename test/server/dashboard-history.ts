import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { run } from '../cli/io.js';

/** Secret values planted in the environments' files: none may reach a page, a header or a log line. */
export const CANARIES = {
  stagingPassword: 'canary-dash-staging-pw-4e1a',
  productionPassword: 'canary-dash-prod-pw-9b2c',
  oauthSecret: 'canary-dash-oauth-secret-77d0',
  apiToken: 'ghp_CANARYdashboardCANARYdashboard12345',
} as const;

/** A value that would run as script if a page did not escape it. */
export const HOSTILE_VALUE = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">';

const CONFIG = `version: 1
environments:
  staging:
    sources:
      - path: config/staging.yaml
  production:
    sources:
      - path: config/production.yaml
rules: [rules/*.yaml]
`;

const RULES = `rules:
  - id: same-timeouts
    kind: equal
    keys: [app.timeout]
    severity: warning
  - id: retired-global-oauth
    kind: forbid
    keys: [oauth.global.*]
    severity: error
    message: Global OAuth credentials are retired; tenants use their own.
`;

function staging(timeout: number): string {
  return `app:
  name: shop
  timeout: ${timeout}
  banner: ${JSON.stringify(HOSTILE_VALUE)}
db:
  host: db.staging.internal
  password: ${CANARIES.stagingPassword}
features:
  beta: true
api:
  token: ${CANARIES.apiToken}
`;
}

function production(timeout: number): string {
  return `app:
  name: shop
  timeout: ${timeout}
  banner: ${JSON.stringify(HOSTILE_VALUE)}
db:
  host: db.production.internal
  password: ${CANARIES.productionPassword}
oauth:
  global:
    client_id: global-client
    client_secret: ${CANARIES.oauthSecret}
api:
  token: ${CANARIES.apiToken}
`;
}

/** app.name, app.timeout, app.banner, db.host, db.password, features.beta, oauth.global.client_id, oauth.global.client_secret, api.token. */
const KEY_COUNT = 9;

export interface DashboardHistory {
  readonly dir: string;
  readonly store: Store;
  /** The findings of the check, as the delivered report recorded them. */
  readonly findingIds: readonly string[];
  /** Keys across both environments' latest snapshots. */
  readonly keyCount: number;
  close(): Promise<void>;
}

/**
 * A real history, made the way a team makes one: two environments' files,
 * `driftwatch snapshot --all --store` twice with a change between, a
 * `driftwatch check` that records its findings' sightings, and a drift report
 * delivered with the findings that check saw open. In SQLite beside the
 * config, or in `database` (PostgreSQL, a schema of the test's own).
 */
export async function createDashboardHistory(database?: {
  readonly url: string;
  readonly schema: string;
}): Promise<DashboardHistory> {
  const env: Record<string, string> =
    database === undefined
      ? {}
      : { DRIFTWATCH_DATABASE_URL: database.url, DRIFTWATCH_DATABASE_SCHEMA: database.schema };
  const dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-dashboard-'));
  mkdirSync(path.join(dir, 'config'));
  mkdirSync(path.join(dir, 'rules'));
  writeFileSync(path.join(dir, 'driftwatch.yaml'), CONFIG);
  writeFileSync(path.join(dir, 'rules', 'drift.yaml'), RULES);
  const write = (stagingTimeout: number, productionTimeout: number) => {
    writeFileSync(path.join(dir, 'config', 'staging.yaml'), staging(stagingTimeout));
    writeFileSync(path.join(dir, 'config', 'production.yaml'), production(productionTimeout));
  };
  const cli = async (args: string[]) => {
    const result = await run(dir, args, env);
    if (result.code > 1) throw new Error(`driftwatch ${args.join(' ')} failed: ${result.stderr}`);
    return result;
  };

  write(30, 30);
  await cli(['snapshot', '--all', '--store']);
  write(30, 60);
  await cli(['snapshot', '--all', '--store']);
  const checked = await cli(['check', '--format', 'json', '--fail-on', 'never']);
  const report = JSON.parse(checked.stdout) as {
    findings: { id: string; severity: 'error' | 'warning' | 'notice'; rule: string; key: string; envs: string[] }[];
  };

  const store = await openStore({
    configDir: dir,
    ...(database === undefined ? {} : { databaseUrl: database.url, schema: database.schema }),
  });
  const openFindings = report.findings.map(({ id, severity, rule, key, envs }) => ({ id, severity, rule, key, envs }));
  const createdAt = new Date().toISOString();
  const { report: queued } = await store.enqueueReport({
    occurrence: createdAt,
    channel: 'slack',
    createdAt,
    status: 'pending',
    payload: { text: 'the drift report' },
    openFindings,
  });
  await store.recordDelivery(queued.id, { status: 'delivered', at: createdAt, attempts: 1 });
  return {
    dir,
    store,
    findingIds: openFindings.map((finding) => finding.id),
    keyCount: KEY_COUNT,
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
