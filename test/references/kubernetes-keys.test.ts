import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { kubernetesFormat } from '../../src/formats/kubernetes.js';
import { KubernetesKeys } from '../../src/references/kubernetes-keys.js';
import { missingKeys } from '../../src/references/missing-keys.js';
import type { ReferenceIndex, ReferenceSite } from '../../src/references/scan.js';
import { staleKeys } from '../../src/references/stale-keys.js';
import { formatKeyPath } from '../../src/snapshot/key-path.js';
import { run } from '../cli/io.js';
import { corpusPath } from '../corpus.js';

const MANIFESTS = `apiVersion: v1
kind: ConfigMap
metadata: {name: app, namespace: shop, labels: {team: payments}}
data:
  MAX_UPLOAD_MB: "25"
  application.properties: |
    server.port=8080
---
apiVersion: v1
kind: Secret
metadata: {name: app-secrets}
type: Opaque
stringData:
  DB_PASSWORD: hunter2
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - name: report
              image: shop/report:1
              envFrom: [{configMapRef: {name: app}}]
              env:
                - {name: REPORT_BUCKET, value: s3://reports}
                - name: DB_PASSWORD
                  valueFrom: {secretKeyRef: {name: app-secrets, key: DB_PASSWORD}}
`;

const keys = kubernetesFormat.parse(MANIFESTS, 'k8s.yaml').map((leaf) => formatKeyPath(leaf.path));

function index(names: readonly string[]): Pick<ReferenceIndex, 'references'> {
  const site: ReferenceSite = { file: 'src/app.ts', line: 3, column: 5, style: 'env' };
  return { references: new Map(names.map((name) => [name, [site]])) };
}

describe('references/kubernetes-keys', () => {
  it('knows the environment variable each ConfigMap, Secret and container env key sets', () => {
    const kubernetes = KubernetesKeys.of(keys);
    const variables = Object.fromEntries(
      keys.flatMap((key) => {
        const name = kubernetes.envName(key);
        return name === undefined ? [] : [[key, name]];
      }),
    );
    const env = 'CronJob/nightly.spec.jobTemplate.spec.template.spec.containers.report.env';
    expect(variables).toEqual({
      'ConfigMap/app.data.MAX_UPLOAD_MB': 'MAX_UPLOAD_MB',
      'ConfigMap/app.data."application.properties"': 'application.properties',
      'Secret/app-secrets.stringData.DB_PASSWORD': 'DB_PASSWORD',
      [`${env}.REPORT_BUCKET.value`]: 'REPORT_BUCKET',
      [`${env}.DB_PASSWORD.valueFrom.secretKeyRef.name`]: 'DB_PASSWORD',
      [`${env}.DB_PASSWORD.valueFrom.secretKeyRef.key`]: 'DB_PASSWORD',
    });
  });

  it('calls apiVersion, metadata.*, type, mounted files and the rest of a manifest the platform`s', () => {
    const kubernetes = KubernetesKeys.of(keys);
    expect(keys.filter((key) => kubernetes.isPlatformOnly(key))).toEqual([
      'ConfigMap/app.apiVersion',
      'ConfigMap/app.metadata.namespace',
      'ConfigMap/app.metadata.labels.team',
      'ConfigMap/app.data."application.properties"',
      'Secret/app-secrets.apiVersion',
      'Secret/app-secrets.type',
      'CronJob/nightly.apiVersion',
      'CronJob/nightly.spec.schedule',
      'CronJob/nightly.spec.jobTemplate.spec.template.spec.containers.report.image',
      'CronJob/nightly.spec.jobTemplate.spec.template.spec.containers.report.envFrom[0].configMapRef.name',
    ]);
  });

  it('recognises a resource under a source prefix, and nothing in plain configuration', () => {
    const mounted = ['cluster.ConfigMap/app.apiVersion', 'cluster.ConfigMap/app.data.TZ'];
    expect(KubernetesKeys.of(mounted).envName('cluster.ConfigMap/app.data.TZ')).toBe('TZ');
    // appsettings.json style keys: capitalised, but no resource has an apiVersion there.
    const plain = ['Logging.LogLevel.Default', 'ConfigMap/app.data.TZ', 'Chart.apiVersion.x'];
    const kubernetes = KubernetesKeys.of(plain);
    expect(kubernetes.isEmpty).toBe(true);
    expect(plain.map((key) => kubernetes.envName(key) ?? kubernetes.isPlatformOnly(key))).toEqual([
      false,
      false,
      false,
    ]);
  });

  it('lets process.env.MAX_UPLOAD_MB find ConfigMap/app.data.MAX_UPLOAD_MB: not missing, not stale', () => {
    const reads = index(['MAX_UPLOAD_MB', 'DB_PASSWORD', 'REPORT_BUCKET', 'SENTRY_DSN']);
    expect(missingKeys(new Map([['production', keys]]), reads).map((missing) => missing.key)).toEqual(['SENTRY_DSN']);
    expect(staleKeys(keys, reads)).toEqual([]);
    expect(staleKeys(keys, index(['DB_PASSWORD', 'REPORT_BUCKET']))).toEqual(['ConfigMap/app.data.MAX_UPLOAD_MB']);
  });

  it('reads a ConfigMap key through Spring`s relaxed binding too', () => {
    const spring = ['ConfigMap/app.apiVersion', 'ConfigMap/app.data.PAYMENTS_API_BASE'];
    const reads = {
      references: new Map([['payments.api-base', [{ file: 'A.java', line: 1, column: 1, style: 'dotted' as const }]]]),
    };
    expect(missingKeys(new Map([['production', spring]]), reads, 'relaxed')).toEqual([]);
    expect(missingKeys(new Map([['production', spring]]), reads, 'exact').map((missing) => missing.key)).toEqual([
      'payments.api-base',
    ]);
  });
});

const temporary: string[] = [];
afterEach(() => {
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('check on a real ConfigMap (gathertown/grapevine devenv)', () => {
  it('raises read-but-missing only for the variable no ConfigMap sets, and calls no bookkeeping stale', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-k8s-refs-'));
    temporary.push(dir);
    mkdirSync(path.join(dir, 'deploy'));
    mkdirSync(path.join(dir, 'src'));
    copyFileSync(
      corpusPath('gathertown__grapevine', 'kustomize/overlays/devenv/shared-env.yaml'),
      path.join(dir, 'deploy/shared-env.yaml'),
    );
    writeFileSync(
      path.join(dir, 'driftwatch.yaml'),
      [
        'version: 1',
        'environments:',
        '  devenv: {sources: [{path: deploy/shared-env.yaml}]}',
        'rules: [rules/stale.yaml]',
        'references: {include: [src/**]}',
      ].join('\n'),
    );
    mkdirSync(path.join(dir, 'rules'));
    writeFileSync(path.join(dir, 'rules/stale.yaml'), 'rules: [{id: stale-keys, kind: referenced}]\n');
    writeFileSync(
      path.join(dir, 'src/config.ts'),
      [
        'export const frontendUrl = process.env.FRONTEND_URL;',
        'export const region = process.env.AWS_REGION ?? "us-east-1";',
        'export const endpoint = process.env.AWS_ENDPOINT_URL;',
        'export const maxUploadMb = Number(process.env.MAX_UPLOAD_MB);',
      ].join('\n'),
    );
    const report = JSON.parse((await run(dir, ['check', '--format', 'json'])).stdout);
    const byRule = (rule: string) =>
      report.findings
        .filter((finding: { rule: string }) => finding.rule === rule)
        .map((finding: { key: string }) => finding.key);
    expect(byRule('read-but-missing')).toEqual(['MAX_UPLOAD_MB']);
    const stale: string[] = byRule('stale-keys');
    expect(stale).toContain('ConfigMap/grapevine-shared-env-vars.data.VITE_BASE_DOMAIN');
    expect(stale).not.toContain('ConfigMap/grapevine-shared-env-vars.data.FRONTEND_URL');
    expect(stale.filter((key) => /\.(apiVersion|metadata\.|type$)/.test(key))).toEqual([]);
  });
});
