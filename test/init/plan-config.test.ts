import { describe, expect, it } from 'vitest';
import { type InitPlan, planConfig } from '../../src/init/plan-config.js';
import { inMemoryRepository } from '../../src/init/repository-files.js';

/** The plan for a repository of these files (path → text). */
function planFor(files: Record<string, string>): InitPlan {
  return planConfig(
    inMemoryRepository(Object.keys(files).sort(), (file) => {
      const text = files[file];
      if (text === undefined) throw new Error(`no such file: ${file}`);
      return text;
    }),
  );
}

/** Each environment's sources, `path[, path] @prefix as format`, in merge order. */
function sourcesOf(plan: InitPlan): Record<string, string[]> {
  return Object.fromEntries(
    plan.environments.map((environment) => [
      environment.name,
      environment.sources.map(
        (source) =>
          [source.path].flat().join(', ') +
          (source.prefix ? ` @${source.prefix}` : '') +
          (source.format ? ` as ${source.format}` : ''),
      ),
    ]),
  );
}

describe('init/config folder', () => {
  it('config/<env>.yaml: only names environments go by; the rest is reported', () => {
    const plan = planFor({
      'config/staging.yaml': 'a: 1\n',
      'config/production.yaml': 'a: 2\n',
      'config/database.yml': 'host: x\n',
      'config/locales/en.yml': 'hello: Hello\n',
      'config/routes.rb': '',
    });
    expect(sourcesOf(plan)).toEqual({ staging: ['config/staging.yaml'], production: ['config/production.yaml'] });
    expect(plan.unplaced).toEqual([
      { path: 'config/database.yml', reason: "'database' is not a name environments go by; add it to one by hand" },
    ]);
    expect(plan.environments[0]?.evidence).toEqual(['config folder config/staging.yaml']);
  });

  it('node-config: config/<env>.json over default.json; local and custom-environment-variables are not environments', () => {
    const plan = planFor({
      'config/default.json': '{"a": 1}',
      'config/production.json': '{"a": 2}',
      'config/test.json': '{"a": 3}',
      'config/local.json': '{"a": 4}',
      'config/custom-environment-variables.json': '{"a": "A"}',
      'config/development.js': 'module.exports = {}',
    });
    expect(sourcesOf(plan)).toEqual({
      test: ['config/default.json', 'config/test.json'],
      production: ['config/default.json', 'config/production.json'],
    });
    expect(plan.environments.map((environment) => environment.evidence)).toEqual([
      ['node-config config/test.json over config/default.json'],
      ['node-config config/production.json over config/default.json'],
    ]);
    expect(plan.unplaced.map((entry) => entry.path)).toEqual([
      'config/custom-environment-variables.json',
      'config/development.js',
      'config/local.json',
    ]);
  });

  it('config/<env>/ folders over config/base/, as a glob when the files share an extension', () => {
    const plan = planFor({
      'config/base/app.yaml': 'a: 1\n',
      'config/staging/app.yaml': 'a: 2\n',
      'config/staging/db.yaml': 'b: 2\n',
      'config/production/app.yaml': 'a: 3\n',
      'config/production/db.json': '{}',
    });
    expect(sourcesOf(plan)).toEqual({
      staging: ['config/base/*.yaml', 'config/staging/*.yaml'],
      production: ['config/base/*.yaml', 'config/production/app.yaml, config/production/db.json'],
    });
  });

  it('juspay-style TOML: config/<env>.toml, no base', () => {
    expect(sourcesOf(planFor({ 'config/sandbox.toml': 'a = 1\n', 'config/production.toml': 'a = 2\n' }))).toEqual({
      sandbox: ['config/sandbox.toml'],
      production: ['config/production.toml'],
    });
  });
});

describe('init/dotenv', () => {
  it('.env.<env> takes any name, <env>.env only common ones, over a .env beside them', () => {
    const plan = planFor({
      '.env': 'A=1\n',
      '.env.staging': 'A=2\n',
      '.env.eu-production': 'A=3\n',
      '.env.example': 'A=\n',
      '.env.production.local': 'A=4\n',
      'deploy/production.env': 'B=1\n',
      'deploy/app.env': 'B=2\n',
    });
    expect(sourcesOf(plan)).toEqual({
      staging: ['.env', '.env.staging'],
      'eu-production': ['.env', '.env.eu-production'],
      production: ['deploy/production.env'],
    });
    expect(plan.unplaced).toEqual([
      { path: '.env.example', reason: 'a template for people to copy, not an environment' },
      { path: '.env.production.local', reason: 'a local override (one machine), not an environment' },
      { path: 'deploy/app.env', reason: "'app' is not a name environments go by; add it to one by hand" },
    ]);
  });

  it('a lone .env says which environment it is no more than it is placed', () => {
    const plan = planFor({ '.env': 'A=1\n' });
    expect(plan.environments).toEqual([]);
    expect(plan.unplaced.map((entry) => entry.path)).toEqual(['.env']);
  });
});

describe('init/helm', () => {
  it('values-<env>.yaml over values.yaml; two charts are mounted under their own names', () => {
    const plan = planFor({
      'charts/api/values.yaml': 'replicaCount: 1\n',
      'charts/api/values-staging.yaml': 'replicaCount: 2\n',
      'charts/api/values-production.yaml': 'replicaCount: 3\n',
      'charts/monitoring/tempo-values-production.yaml': 'replicaCount: 4\n',
    });
    expect(sourcesOf(plan)).toEqual({
      staging: ['charts/api/values.yaml @api', 'charts/api/values-staging.yaml @api'],
      production: [
        'charts/api/values.yaml @api',
        'charts/api/values-production.yaml @api',
        'charts/monitoring/tempo-values-production.yaml @tempo',
      ],
    });
    expect(plan.environments[1]?.evidence).toEqual([
      'Helm charts/api/values-production.yaml over charts/api/values.yaml, under api',
      'Helm charts/monitoring/tempo-values-production.yaml, under tempo',
    ]);
  });

  it('one chart: no prefix', () => {
    expect(sourcesOf(planFor({ 'values.yaml': 'a: 1\n', 'values-prod.yaml': 'a: 2\n' }))).toEqual({
      prod: ['values.yaml', 'values-prod.yaml'],
    });
  });
});

describe('init/spring', () => {
  it('application-<env>.yml and .properties over application.yml, per module', () => {
    const plan = planFor({
      'api/src/main/resources/application.yml': 'a: 1\n',
      'api/src/main/resources/application-dev.yml': 'a: 2\n',
      'api/src/main/resources/application-prod.properties': 'a=3\n',
      'web/src/main/resources/application-prod.yml': 'a: 4\n',
    });
    expect(sourcesOf(plan)).toEqual({
      dev: ['api/src/main/resources/application.yml @api', 'api/src/main/resources/application-dev.yml @api'],
      prod: [
        'api/src/main/resources/application.yml @api',
        'api/src/main/resources/application-prod.properties @api',
        'web/src/main/resources/application-prod.yml @web',
      ],
    });
  });
});

describe('init/ansible', () => {
  it('group_vars/<env>.yml over all.yml; groups not named like environments are reported', () => {
    const plan = planFor({
      'group_vars/all.yml': 'a: 1\n',
      'group_vars/staging.yml': 'a: 2\n',
      'group_vars/production/main.yml': 'a: 3\n',
      'group_vars/webservers.yml': 'a: 4\n',
    });
    expect(sourcesOf(plan)).toEqual({
      staging: ['group_vars/all.yml', 'group_vars/staging.yml'],
      production: ['group_vars/all.yml', 'group_vars/production/main.yml'],
    });
    expect(plan.unplaced).toEqual([
      { path: 'group_vars/webservers.yml', reason: "the Ansible group 'webservers' is not named like an environment" },
    ]);
  });

  it('one inventory per environment: inventories/<env>/group_vars, all first', () => {
    const plan = planFor({
      'inventories/qa/group_vars/web.yml': 'a: 1\n',
      'inventories/qa/group_vars/all.yml': 'a: 2\n',
      'inventories/live/group_vars/all.yml': 'a: 3\n',
    });
    expect(sourcesOf(plan)).toEqual({
      qa: ['inventories/qa/group_vars/all.yml', 'inventories/qa/group_vars/web.yml'],
      live: ['inventories/live/group_vars/all.yml'],
    });
  });
});

const KUSTOMIZATION = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n';
const DEPLOYMENT = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec: {replicas: 1}\n';

describe('init/kustomize', () => {
  it('follows an overlay to its base: resources first, then generated ConfigMaps, then patches', () => {
    const plan = planFor({
      'k8s/base/kustomization.yaml': `${KUSTOMIZATION}resources: [deployment.yaml]\n`,
      'k8s/base/deployment.yaml': DEPLOYMENT,
      'k8s/overlays/production/kustomization.yaml': [
        KUSTOMIZATION,
        'resources: [../../base, ingress.yaml]',
        'configMapGenerator:',
        '  - name: api-config',
        '    envs: [api.env]',
        '  - name: nginx',
        '    files: [nginx.conf, settings=settings.properties]',
        'patches:',
        '  - path: replicas.yaml',
        '  - target: {kind: Deployment, name: api}',
        '    patch: |-',
        '      - op: remove',
        '        path: /spec/replicas',
        'patchesJson6902:',
        '  - target: {kind: Deployment, name: api}',
        '    path: remove.yaml',
        '',
      ].join('\n'),
      'k8s/overlays/production/ingress.yaml': 'apiVersion: v1\nkind: Ingress\nmetadata: {name: web}\n',
      'k8s/overlays/production/api.env': 'A=1\n',
      'k8s/overlays/production/nginx.conf': 'server {}\n',
      'k8s/overlays/production/settings.properties': 'a=1\n',
      'k8s/overlays/production/replicas.yaml': DEPLOYMENT,
      'k8s/overlays/production/remove.yaml': '- op: remove\n  path: /spec/replicas\n',
      'k8s/overlays/production/old-patch.yaml': DEPLOYMENT,
    });
    expect(sourcesOf(plan)).toEqual({
      production: [
        'k8s/base/deployment.yaml',
        'k8s/overlays/production/ingress.yaml',
        'k8s/overlays/production/api.env @api-config',
        'k8s/overlays/production/settings.properties @nginx',
        'k8s/overlays/production/replicas.yaml',
      ],
    });
    expect(plan.environments[0]?.evidence).toEqual([
      'Kustomize overlay k8s/overlays/production/ over k8s/base/ (2 kustomizations, 2 resource files, 2 generator files, 1 patch)',
    ]);
    expect(plan.unplaced).toEqual([
      {
        path: 'k8s/overlays/production/kustomization.yaml',
        reason: 'an inline patch: written in the kustomization, not in a file',
        about: 'content',
      },
      {
        path: 'k8s/overlays/production/nginx.conf',
        reason: 'a file of ConfigMap nginx in a format driftwatch does not read',
      },
      {
        path: 'k8s/overlays/production/old-patch.yaml',
        reason: 'in k8s/overlays/production/, but no kustomization there uses it',
      },
      {
        path: 'k8s/overlays/production/remove.yaml',
        reason: 'a JSON 6902 patch in k8s/overlays/production/kustomization.yaml: operations, not configuration',
      },
    ]);
  });

  it('files a kustomization names but the repository lacks, remote bases and bases outside it are reported', () => {
    const plan = planFor({
      'overlays/staging/kustomization.yaml': `${KUSTOMIZATION}resources:\n  - github.com/acme/base?ref=v1\n  - ../../../outside\n  - gone.yaml\n  - app.yaml\npatches:\n  - path: missing-patch.yaml\n`,
      'overlays/staging/app.yaml': DEPLOYMENT,
    });
    expect(sourcesOf(plan)).toEqual({ staging: ['overlays/staging/app.yaml'] });
    expect(plan.unplaced.map((entry) => entry.reason)).toEqual([
      'names a remote base, not in the repository: github.com/acme/base?ref=v1',
      'names ../../../outside, outside the repository',
      'names 2 files that are not in the repository: gone.yaml, missing-patch.yaml',
    ]);
  });

  it("a secretGenerator's files are read by no environment, even when another layout would place them", () => {
    const plan = planFor({
      'overlays/production/kustomization.yaml': `${KUSTOMIZATION}resources: [app.yaml]\nsecretGenerator:\n  - name: db\n    envs: [production.env]\n`,
      'overlays/production/app.yaml': DEPLOYMENT,
      'overlays/production/production.env': 'DB_PASSWORD=hunter2\n',
    });
    expect(sourcesOf(plan)).toEqual({ production: ['overlays/production/app.yaml'] });
    expect(plan.unplaced.map((entry) => entry.reason)).toEqual([
      'secretGenerator db: its files hold secrets and are left out; add them by hand, listed under secrets: always:, to compare them by fingerprint',
    ]);
  });

  it('a kustomization that is not YAML is reported with its line and column, and not followed', () => {
    const plan = planFor({
      'overlays/qa/kustomization.yaml': 'resources: [a.yaml\n',
      'overlays/qa/a.yaml': DEPLOYMENT,
    });
    expect(plan.environments).toEqual([]);
    expect(plan.unplaced.map((entry) => `${entry.path}: ${entry.reason}`)).toEqual([
      'overlays/qa/: the overlay uses no file driftwatch can read',
      'overlays/qa/a.yaml: in overlays/qa/, but no kustomization there uses it',
      'overlays/qa/kustomization.yaml: not YAML, so not followed (overlays/qa/kustomization.yaml:2:1: Flow sequence in block collection must be sufficiently indented and end with a ])',
    ]);
  });

  it('an env file a ConfigMap generator reads is placed once, under its name, not again as a flat .env', () => {
    const plan = planFor({
      'overlays/production/kustomization.yaml': `${KUSTOMIZATION}configMapGenerator: [{name: app, envs: [production.env]}]\n`,
      'overlays/production/production.env': 'A=1\n',
    });
    expect(sourcesOf(plan)).toEqual({ production: ['overlays/production/production.env @app'] });
    expect(plan.environments[0]?.evidence).toHaveLength(1);
  });

  it('an overlay with nothing driftwatch can read is reported, not written as an empty environment', () => {
    const plan = planFor({ 'overlays/qa/kustomization.yaml': `${KUSTOMIZATION}resources: [../../base]\n` });
    expect(plan.environments).toEqual([]);
    expect(plan.unplaced.map((entry) => `${entry.path}: ${entry.reason}`)).toEqual([
      'overlays/qa/: the overlay uses no file driftwatch can read',
      'overlays/qa/kustomization.yaml: names a file that is not in the repository: ../../base',
    ]);
  });
});

describe('init/plan', () => {
  it('merges layouts into one environment per name, ordered from development to production', () => {
    const plan = planFor({
      'config/production.yaml': 'a: 1\n',
      'config/staging.yaml': 'a: 1\n',
      'config/development.yaml': 'a: 1\n',
      '.env.production': 'A=1\n',
      'values-qa.yaml': 'a: 1\n',
    });
    expect(plan.environments.map((environment) => environment.name)).toEqual([
      'development',
      'qa',
      'staging',
      'production',
    ]);
    expect(sourcesOf(plan).production).toEqual(['config/production.yaml', '.env.production']);
  });

  it('sees code, and where it is, for the references block', () => {
    const plan = planFor({
      '.env.staging': 'A=1\n',
      'src/a.ts': '',
      'src/b.ts': '',
      'lib/c.py': '',
      'templates/d.html': '',
    });
    expect(plan.code).toEqual({
      include: ['lib/**', 'src/**'],
      files: 3,
      extensions: [
        ['.ts', 2],
        ['.py', 1],
      ],
    });
    expect(planFor({ '.env.staging': 'A=1\n', 'index.js': '' }).code?.include).toEqual(['**/*']);
    expect(planFor({ '.env.staging': 'A=1\n' }).code).toBeUndefined();
  });

  it("tests' and examples' configuration is not the repository's environments, and it says it did not look", () => {
    const plan = planFor({
      'config/production.yaml': 'a: 1\n',
      'src/test/resources/application-test.yml': 'a: 2\n',
      'test/fixtures/spring/application-prod.properties': 'a=3\n',
      'examples/demo/.env.staging': 'A=1\n',
    });
    expect(sourcesOf(plan)).toEqual({ production: ['config/production.yaml'] });
    expect(plan.notLookedAt).toEqual(['examples/', 'src/test/', 'test/']);
  });

  it("lists the repository's own rule packs, not every file named rules", () => {
    const plan = planFor({
      '.env.staging': 'A=1\n',
      'rules/team.yaml': 'rules:\n  - {id: utc, kind: match, keys: [TZ], equals: UTC}\n',
      'rules/notes.yaml': 'rules: see the wiki\n',
      '.github/labeler-rules.yml': 'rules:\n  - {label: docs}\n',
      'deploy/app.yaml': 'rules:\n  - {id: a, kind: b}\n',
    });
    expect(plan.rulePacks).toEqual(['rules/team.yaml']);
  });

  it('a name driftwatch.yaml cannot take is reported, not written', () => {
    const plan = planFor({ '.env.bad name': 'A=1\n' });
    expect(plan.environments).toEqual([]);
    expect(plan.unplaced).toEqual([
      { path: '.env.bad name', reason: "'bad name' cannot be an environment name (letters, digits, _ . -)" },
    ]);
  });
});
