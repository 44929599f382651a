import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { run } from '../cli/io.js';
import { CORPUS_DIR } from '../corpus.js';

/**
 * `driftwatch init` on every repository of the corpus: the environments and
 * sources it finds, exactly, and the config it writes snapshots every
 * environment without error. Sources are written `path[, path...] @prefix`.
 */
const EXPECTED: Record<string, Record<string, string[]>> = {
  'alphagov__govuk-helm-charts': Object.fromEntries(
    ['integration', 'staging', 'production'].map((env) => [
      env,
      [
        `charts/app-config/values-${env}.yaml @app-config`,
        `charts/kube-prometheus-stack-bootstrap/kube-prometheus-stack-values-${env}.yaml @kube-prometheus-stack`,
        `charts/monitoring-config/tempo-values-${env}.yaml @tempo`,
      ],
    ]),
  ),
  'demokratie-live__infrastructure': {
    alpha: [
      'bio-admin',
      'bio-api',
      'democracy-api',
      'democracy-app',
      'push-notifications',
      'crawler',
      'qr-code-handler',
    ].map((name) => `kustomize/overlays/alpha/configs/${name}.env @${name}-config`),
    ...Object.fromEntries(
      ['internal', 'production'].map((env) => [
        env,
        [
          'bio-admin',
          'ai-votes',
          'non-named-votes-ai',
          'bio-api',
          'democracy-api',
          'democracy-app',
          'push-notifications',
          'crawler',
          'qr-code-handler',
        ].map((name) => `kustomize/overlays/${env}/configs/${name}.env @${name}-config`),
      ]),
    ),
  },
  gathertown__grapevine: {
    devenv: [
      ...grapevineBase(),
      'kustomize/overlays/staging/replicas-patch.yaml, kustomize/overlays/staging/resources-patch.yaml, kustomize/overlays/staging/ingress-patch.yaml',
      'kustomize/overlays/devenv/localstack.yaml, kustomize/overlays/devenv/namespace.yaml, kustomize/overlays/devenv/shared-env.yaml, kustomize/overlays/devenv/ssm-copy-job.yaml',
      'kustomize/overlays/devenv/replicas-patch.yaml, kustomize/overlays/devenv/ingress-patch.yaml, kustomize/overlays/devenv/env-patch.yaml',
    ],
    staging: [
      ...grapevineBase(),
      'kustomize/overlays/staging/replicas-patch.yaml, kustomize/overlays/staging/resources-patch.yaml, kustomize/overlays/staging/ingress-patch.yaml',
    ],
    production: [
      ...grapevineBase(),
      'kustomize/overlays/production/replicas-patch.yaml, kustomize/overlays/production/ingress-patch.yaml',
    ],
  },
  'juspay__connector-service': {
    development: ['config/development.toml'],
    sandbox: ['config/sandbox.toml'],
    production: ['config/production.toml'],
  },
  macrozheng__mall: Object.fromEntries(
    ['dev', 'prod'].map((env) => [
      env,
      [
        'mall-admin/src/main/resources/application.yml @mall-admin',
        `mall-admin/src/main/resources/application-${env}.yml @mall-admin`,
        `mall-portal/src/main/resources/application-${env}.yml @mall-portal`,
        `mall-search/src/main/resources/application-${env}.yml @mall-search`,
      ],
    ]),
  ),
  'opencollective__opencollective-api': Object.fromEntries(
    ['development', 'staging', 'production'].map((env) => [env, ['config/default.json', `config/${env}.json`]]),
  ),
};

function grapevineBase(): string[] {
  const services = ['ingest-gatekeeper', 'grapevine-api', 'grapevine-app', 'migrations', 'steward'];
  const workers = ['index-worker', 'ingest-worker', 'slackbot', 'cron-worker'];
  return [
    'kustomize/base/namespaces.yaml',
    services.map((name) => `kustomize/base/grapevine-services/${name}.yaml`).join(', '),
    workers.map((name) => `kustomize/base/grapevine-workers/${name}.yaml`).join(', '),
  ];
}

interface WrittenSource {
  readonly path: string | string[];
  readonly prefix?: string;
  readonly format?: string;
}

function sourcesByEnvironment(configText: string): Record<string, string[]> {
  const config = parse(configText) as { environments: Record<string, { sources: WrittenSource[] }> };
  return Object.fromEntries(
    Object.entries(config.environments).map(([env, { sources }]) => [
      env,
      sources.map(
        (source) =>
          [source.path].flat().join(', ') +
          (source.prefix ? ` @${source.prefix}` : '') +
          (source.format ? ` as ${source.format}` : ''),
      ),
    ]),
  );
}

const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** A copy of one corpus repository, so that init can write into it; the corpus itself is never edited. */
function copyOf(repository: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-init-corpus-'));
  temporary.push(dir);
  cpSync(path.join(CORPUS_DIR, repository), dir, { recursive: true });
  return dir;
}

describe.skipIf(!existsSync(CORPUS_DIR))('init/corpus: driftwatch init on every real repository', () => {
  it('covers every repository of the corpus', () => {
    const listed = (JSON.parse(readFileSync(path.join(CORPUS_DIR, 'sources.json'), 'utf8')) as { repo: string }[]).map(
      (entry) => entry.repo.replace('/', '__'),
    );
    expect(Object.keys(EXPECTED).sort()).toEqual(listed.sort());
  });

  it.each(Object.keys(EXPECTED))(
    '%s: the environments and sources it finds, and every one snapshots',
    async (repository) => {
      const dir = copyOf(repository);
      const init = await run(dir, ['init']);
      expect(init.stderr).toBe('');
      expect(init.code).toBe(0);
      const written = readFileSync(path.join(dir, 'driftwatch.yaml'), 'utf8');
      expect(sourcesByEnvironment(written)).toEqual(EXPECTED[repository]);
      expect(Object.keys(sourcesByEnvironment(written))).toEqual(Object.keys(EXPECTED[repository] ?? {}));

      const snapshot = await run(dir, ['snapshot', '--all', '--format', 'json']);
      expect(snapshot.stderr).toBe('');
      expect(snapshot.code).toBe(0);
      const result = JSON.parse(snapshot.stdout) as { snapshots: { env: string; keys: number }[]; errors: unknown[] };
      expect(result.errors).toEqual([]);
      expect(result.snapshots.map((entry) => entry.env)).toEqual(Object.keys(EXPECTED[repository] ?? {}));
      for (const entry of result.snapshots) expect(entry.keys, entry.env).toBeGreaterThan(0);
    },
  );

  it('gathertown: says what it could not place, and that devenv builds on staging', async () => {
    const init = await run(copyOf('gathertown__grapevine'), ['init', '--dry-run']);
    expect(init.code).toBe(0);
    expect(init.stderr.split('\n')).toEqual([
      'devenv: 6 sources',
      '  Kustomize overlay kustomize/overlays/devenv/ over kustomize/overlays/staging/, kustomize/base/ (5 kustomizations, 14 resource files, 0 generator files, 6 patches)',
      'staging: 4 sources',
      '  Kustomize overlay kustomize/overlays/staging/ over kustomize/base/ (4 kustomizations, 10 resource files, 0 generator files, 3 patches)',
      'production: 4 sources',
      '  Kustomize overlay kustomize/overlays/production/ over kustomize/base/ (4 kustomizations, 10 resource files, 0 generator files, 2 patches)',
      'not placed (2):',
      '  kustomize/overlays/devenv/kustomization.yaml: 11 inline patches: written in the kustomization, not in a file',
      '  kustomize/overlays/devenv/serviceaccount-patch.yaml: in kustomize/overlays/devenv/, but no kustomization there uses it',
      '',
    ]);
  });

  it('demokratie-live: files the kustomizations name that the repository does not have are reported', async () => {
    const init = await run(copyOf('demokratie-live__infrastructure'), ['init', '--dry-run']);
    const notPlaced = init.stderr.slice(init.stderr.indexOf('not placed')).split('\n');
    expect(notPlaced.slice(0, 2)).toEqual([
      'not placed (6):',
      '  kustomize/overlays/alpha/kustomization.yaml: names a file that is not in the repository: namespace.yaml',
    ]);
    expect(notPlaced[2]).toMatch(
      /^ {2}kustomize\/overlays\/alpha\/yamls\/kustomization.yaml: names 10 files that are not in the repository: \.\.\/\.\.\/\.\.\/base\/cluster, ingress-srv\.yaml, /,
    );
  });
});
