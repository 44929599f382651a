import { readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors.js';
import type { Leaf } from '../../src/formats/format.js';
import { kubernetesFormat, looksLikeKubernetes } from '../../src/formats/kubernetes.js';
import { formatKeyPath } from '../../src/snapshot/key-path.js';
import { CORPUS_DIR, readCorpus } from '../corpus.js';
import { parserFor } from './helpers.js';

const { parse, problemsOf } = parserFor(kubernetesFormat, 'deploy.yaml');

/** `key → value` for a quick look at what a text says. */
function valuesOf(leaves: readonly Leaf[]): Record<string, unknown> {
  return Object.fromEntries(leaves.map((leaf) => [formatKeyPath(leaf.path), leaf.value]));
}

const DEPLOYMENT = [
  'apiVersion: apps/v1', // 1
  'kind: Deployment', // 2
  'metadata:', // 3
  '  name: api', // 4
  '  namespace: shop', // 5
  'spec:', // 6
  '  replicas: 3', // 7
  '  template:', // 8
  '    spec:', // 9
  '      containers:', // 10
  '        - name: api', // 11
  '          image: shop/api:1.4', // 12
  '          env:', // 13
  '            - name: DATABASE_URL', // 14
  '              value: postgres://db/shop', // 15
  '            - name: LOG_LEVEL', // 16
  '              value: info', // 17
  '          ports:', // 18
  '            - name: http', // 19
  '              containerPort: 8080', // 20
  '          args: [--port, "8080"]', // 21
].join('\n');

describe('formats/kubernetes', () => {
  it('is chosen by detection or `format: k8s`, never by extension', () => {
    expect(kubernetesFormat.id).toBe('k8s');
    expect(kubernetesFormat.extensions).toEqual([]);
  });

  describe('resources', () => {
    it('keys a resource by Kind/name and named list items by name', () => {
      const prefix = ['Deployment/api', 'spec', 'template', 'spec', 'containers', 'api'];
      // Segment 5 (`api`) names an item of the containers list; 7 an env var or a port.
      const inContainer = { namedItems: [5] };
      expect(parse(DEPLOYMENT)).toEqual([
        { path: ['Deployment/api', 'apiVersion'], value: 'apps/v1', type: 'string', line: 1, column: 13 },
        { path: ['Deployment/api', 'metadata', 'namespace'], value: 'shop', type: 'string', line: 5, column: 14 },
        { path: ['Deployment/api', 'spec', 'replicas'], value: 3, type: 'number', line: 7, column: 13 },
        { path: [...prefix, 'image'], value: 'shop/api:1.4', type: 'string', line: 12, column: 18, ...inContainer },
        {
          path: [...prefix, 'env', 'DATABASE_URL', 'value'],
          value: 'postgres://db/shop',
          type: 'string',
          line: 15,
          column: 22,
          namedItems: [5, 7],
        },
        {
          path: [...prefix, 'env', 'LOG_LEVEL', 'value'],
          value: 'info',
          type: 'string',
          line: 17,
          column: 22,
          namedItems: [5, 7],
        },
        {
          path: [...prefix, 'ports', 'http', 'containerPort'],
          value: 8080,
          type: 'number',
          line: 20,
          column: 30,
          namedItems: [5, 7],
        },
        { path: [...prefix, 'args', 0], value: '--port', type: 'string', line: 21, column: 18, ...inContainer },
        { path: [...prefix, 'args', 1], value: '8080', type: 'string', line: 21, column: 26, ...inContainer },
      ]);
    });

    it('reads the path the way the design names it', () => {
      const keys = parse(DEPLOYMENT).map((leaf) => formatKeyPath(leaf.path));
      expect(keys).toContain('Deployment/api.spec.template.spec.containers.api.env.DATABASE_URL.value');
    });

    it('keeps index segments when names are missing or repeated', () => {
      const text = [
        'apiVersion: v1',
        'kind: Pod',
        'metadata: {name: p}',
        'spec:',
        '  envFrom:',
        '    - secretRef: {name: app-secrets}',
        '  tolerations:',
        '    - {name: a, effect: NoSchedule}',
        '    - {name: a, effect: NoExecute}',
        '  ports:',
        '    - {name: 8080, port: 8080}',
      ].join('\n');
      expect(valuesOf(parse(text))).toEqual({
        'Pod/p.apiVersion': 'v1',
        'Pod/p.spec.envFrom[0].secretRef.name': 'app-secrets',
        'Pod/p.spec.tolerations[0].name': 'a',
        'Pod/p.spec.tolerations[0].effect': 'NoSchedule',
        'Pod/p.spec.tolerations[1].name': 'a',
        'Pod/p.spec.tolerations[1].effect': 'NoExecute',
        'Pod/p.spec.ports[0].name': 8080,
        'Pod/p.spec.ports[0].port': 8080,
      });
    });

    it('keeps the name leaf of an item that has nothing else, so the item is still visible', () => {
      const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  imagePullSecrets:\n    - name: registry\n';
      expect(parse(text)[1]).toEqual({
        path: ['Pod/p', 'spec', 'imagePullSecrets', 'registry', 'name'],
        value: 'registry',
        type: 'string',
        line: 6,
        column: 13,
        namedItems: [3],
      });
    });

    it('uses Kind/namespace/name only for a Kind/name found in several namespaces', () => {
      const text = [
        'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: blue}\nspec: {type: ClusterIP}',
        'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: green}\nspec: {type: NodePort}',
        'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {type: LoadBalancer}',
        'apiVersion: v1\nkind: Service\nmetadata: {name: db, namespace: blue}\nspec: {type: ClusterIP}',
      ].join('\n---\n');
      expect(valuesOf(parse(text))).toEqual({
        'Service/blue/web.apiVersion': 'v1',
        'Service/blue/web.metadata.namespace': 'blue',
        'Service/blue/web.spec.type': 'ClusterIP',
        'Service/green/web.apiVersion': 'v1',
        'Service/green/web.metadata.namespace': 'green',
        'Service/green/web.spec.type': 'NodePort',
        'Service/web.apiVersion': 'v1',
        'Service/web.spec.type': 'LoadBalancer',
        'Service/db.apiVersion': 'v1',
        'Service/db.metadata.namespace': 'blue',
        'Service/db.spec.type': 'ClusterIP',
      });
    });

    it('uses the Kind alone for a resource without a name', () => {
      const text = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: prod\n';
      expect(valuesOf(parse(text))).toEqual({
        'Kustomization.apiVersion': 'kustomize.config.k8s.io/v1beta1',
        'Kustomization.namespace': 'prod',
      });
    });

    it('lets a later document for the same resource override the earlier one, item by item', () => {
      const patch = [
        '---',
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata: {name: api, namespace: shop}',
        'spec:',
        '  replicas: 10',
        '  template:',
        '    spec:',
        '      containers:',
        '        - name: api',
        '          env:',
        '            - {name: LOG_LEVEL, value: debug}',
      ].join('\n');
      const values = valuesOf(parse(`${DEPLOYMENT}\n${patch}\n`));
      const container = 'Deployment/api.spec.template.spec.containers.api';
      expect(values['Deployment/api.spec.replicas']).toBe(10);
      expect(values[`${container}.env.LOG_LEVEL.value`]).toBe('debug');
      expect(values[`${container}.env.DATABASE_URL.value`]).toBe('postgres://db/shop');
    });

    it('expands a List into its items', () => {
      const text = [
        'apiVersion: v1',
        'kind: List',
        'items:',
        '  - apiVersion: v1',
        '    kind: ConfigMap',
        '    metadata: {name: a}',
        '    data: {X: "1"}',
        '  - apiVersion: v1',
        '    kind: ConfigMap',
        '    metadata: {name: b}',
        '    data: {X: "2"}',
      ].join('\n');
      expect(valuesOf(parse(text))).toEqual({
        'ConfigMap/a.apiVersion': 'v1',
        'ConfigMap/a.data.X': '1',
        'ConfigMap/b.apiVersion': 'v1',
        'ConfigMap/b.data.X': '2',
      });
    });
  });

  describe('ConfigMap and Secret', () => {
    it('makes ConfigMap data and binaryData keys leaves, dots and all', () => {
      const text = [
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata: {name: app}',
        'data:',
        '  application.properties: |',
        '    server.port=8080',
        '  TZ: UTC',
        'binaryData:',
        '  logo.png: iVBORw0KGgo=',
      ].join('\n');
      expect(parse(text).slice(1)).toEqual([
        {
          path: ['ConfigMap/app', 'data', 'application.properties'],
          value: 'server.port=8080\n',
          type: 'string',
          line: 5,
          column: 27,
        },
        { path: ['ConfigMap/app', 'data', 'TZ'], value: 'UTC', type: 'string', line: 7, column: 7 },
        {
          path: ['ConfigMap/app', 'binaryData', 'logo.png'],
          value: 'iVBORw0KGgo=',
          type: 'string',
          line: 9,
          column: 13,
        },
      ]);
    });

    it('decodes Secret data and marks it and stringData sensitive', () => {
      const text = [
        'apiVersion: v1',
        'kind: Secret',
        'metadata: {name: db}',
        'type: Opaque',
        'data:',
        `  password: ${Buffer.from('hunter2').toString('base64')}`,
        `  key.bin: ${Buffer.from([0xff, 0xfe, 0x00]).toString('base64')}`,
        '  empty: ""',
        'stringData:',
        '  token: abc123',
        '  vault: !vault secret/db#token',
      ].join('\n');
      expect(parse(text)).toEqual([
        { path: ['Secret/db', 'apiVersion'], value: 'v1', type: 'string', line: 1, column: 13 },
        { path: ['Secret/db', 'type'], value: 'Opaque', type: 'string', line: 4, column: 7 },
        {
          path: ['Secret/db', 'data', 'password'],
          value: 'hunter2',
          type: 'string',
          line: 6,
          column: 13,
          sensitive: true,
        },
        { path: ['Secret/db', 'data', 'key.bin'], value: '//4A', type: 'string', line: 7, column: 12, sensitive: true },
        { path: ['Secret/db', 'data', 'empty'], value: '', type: 'string', line: 8, column: 10, sensitive: true },
        {
          path: ['Secret/db', 'stringData', 'token'],
          value: 'abc123',
          type: 'string',
          line: 10,
          column: 10,
          sensitive: true,
        },
        {
          path: ['Secret/db', 'stringData', 'vault'],
          value: 'secret/db#token',
          type: 'opaque',
          tag: '!vault',
          line: 11,
          column: 17,
          sensitive: true,
        },
      ]);
    });

    it('refuses Secret data that is not base64, naming every bad value', () => {
      const text = [
        'apiVersion: v1',
        'kind: Secret',
        'metadata: {name: db}',
        'data:',
        '  password: not base64!',
        '  good: aGk=',
        '  port: 5432',
        '  short: abc',
      ].join('\n');
      expect(problemsOf(text)).toEqual([
        { file: 'deploy.yaml', line: 5, column: 13, message: "Secret data 'password' is not valid base64" },
        { file: 'deploy.yaml', line: 7, column: 9, message: "Secret data 'port' is not a base64 string" },
        { file: 'deploy.yaml', line: 8, column: 10, message: "Secret data 'short' is not valid base64" },
      ]);
    });
  });

  describe('errors', () => {
    it('points at every document that is not a resource', () => {
      const text = [
        'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}',
        'apiVersion: v1\nmetadata: {name: orphan}',
        '',
        'kind: Service',
        '- just a list',
      ].join('\n---\n');
      expect(problemsOf(text)).toEqual([
        { file: 'deploy.yaml', line: 5, column: 1, message: 'document 2 is not a Kubernetes resource: missing kind' },
        {
          file: 'deploy.yaml',
          line: 10,
          column: 1,
          message: 'document 4 is not a Kubernetes resource: missing apiVersion',
        },
        {
          file: 'deploy.yaml',
          line: 12,
          column: 1,
          message: 'document 5 is not a Kubernetes resource: expected a map with apiVersion and kind',
        },
      ]);
    });

    it('points at a List item that is not a resource', () => {
      const text = 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    metadata: {name: x}\n';
      expect(problemsOf(text)).toEqual([
        {
          file: 'deploy.yaml',
          line: 4,
          column: 5,
          message: 'item 1 of the List in document 1 is not a Kubernetes resource: missing kind',
        },
      ]);
    });

    it('reports YAML errors as the YAML format does', () => {
      expect(problemsOf('apiVersion: v1\nkind: Pod\nkind: Pod\n')).toEqual([
        { file: 'deploy.yaml', line: 3, column: 1, message: 'Map keys must be unique: kind (first at line 2)' },
      ]);
    });

    it('fails fast on a billion-laughs resource', () => {
      const laughs = Array.from(
        { length: 9 },
        (_, level) => `  a${level + 1}: &a${level + 1} [${Array(10).fill(`*a${level}`).join(', ')}]`,
      );
      const text = [
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata: {name: lol}',
        'data:',
        '  a0: &a0 [lol]',
        ...laughs,
      ];
      expect(problemsOf(text.join('\n'))[0]?.message).toMatch(/^aliases expand to more than/);
    });

    it('throws only ParseError, whatever the text', () => {
      fc.assert(
        fc.property(fc.string({ maxLength: 200 }), (text) => parsesOrRefuses(text)),
        { numRuns: 500 },
      );
    });

    it('throws only ParseError for text made of YAML and manifest syntax', () => {
      const unit = fc.constantFrom(
        ...':-[]{}&*!|>\'"#,\n '.split(''),
        'a',
        '1',
        '&a ',
        '*a',
        '<<: ',
        '---\n',
        '\n  ',
        '- ',
        'apiVersion: v1\n',
        'kind: ',
        'Secret',
        'List',
        'ConfigMap',
        'metadata:\n  name: ',
        'namespace: ',
        'data:\n  ',
        'items:\n  - ',
        'name: ',
      );
      fc.assert(
        fc.property(fc.string({ unit, maxLength: 60 }), (text) => parsesOrRefuses(text)),
        { numRuns: 500 },
      );
    });
  });

  describe('looksLikeKubernetes', () => {
    it('says yes when every non-empty document has apiVersion and kind', () => {
      expect(looksLikeKubernetes(DEPLOYMENT)).toBe(true);
      expect(looksLikeKubernetes('---\napiVersion: v1\nkind: List\nitems: []\n---\n')).toBe(true);
    });

    it('says no to plain configuration, partial manifests, broken YAML and empty text', () => {
      expect(looksLikeKubernetes('db:\n  host: localhost\n')).toBe(false);
      expect(looksLikeKubernetes('apiVersion: v1\nkind: Pod\n---\nreplicas: 3\n')).toBe(false);
      expect(looksLikeKubernetes('apiVersion: v1\nkind: [Pod\n')).toBe(false);
      expect(looksLikeKubernetes('apiVersion: 1\nkind: Pod\n')).toBe(false);
      expect(looksLikeKubernetes('# nothing\n')).toBe(false);
      expect(looksLikeKubernetes('')).toBe(false);
    });
  });

  describe('the real corpus', () => {
    const kustomizeFiles = (readdirSync(CORPUS_DIR, { recursive: true, encoding: 'utf8' }) as string[])
      .filter((file) => /^(gathertown__grapevine|demokratie-live__infrastructure)\/.*\.ya?ml$/.test(file))
      .sort();
    const manifests = kustomizeFiles.filter((file) => looksLikeKubernetes(readCorpus(file)));

    it('recognises every kustomize file as Kubernetes but the one left empty on purpose', () => {
      expect(kustomizeFiles.length).toBeGreaterThanOrEqual(35);
      expect(kustomizeFiles.filter((file) => !manifests.includes(file))).toEqual([
        'gathertown__grapevine/kustomize/overlays/devenv/serviceaccount-patch.yaml',
      ]);
    });

    it.each(manifests)('parses %s', (file) => {
      const leaves = kubernetesFormat.parse(readCorpus(file), file);
      expect(leaves.length).toBeGreaterThan(0);
      for (const leaf of leaves) {
        expect(typeof leaf.path[0]).toBe('string');
        expect(leaf.line).toBeGreaterThan(0);
        expect(leaf.column).toBeGreaterThan(0);
      }
    });

    const overlay = (env: string, name: string) => {
      const file = `gathertown__grapevine/kustomize/overlays/${env}/${name}`;
      return kubernetesFormat.parse(readCorpus(file), file);
    };
    const replicas = (env: string) =>
      Object.fromEntries(
        overlay(env, 'replicas-patch.yaml')
          .filter((leaf) => leaf.path[1] === 'spec' && leaf.path[2] === 'replicas')
          .map((leaf) => [formatKeyPath(leaf.path), [leaf.value, leaf.line]]),
      );

    it('reads replicas per Deployment, staging against production (gathertown)', () => {
      expect(replicas('staging')).toEqual({
        'Deployment/ingest-gatekeeper.spec.replicas': [2, 7],
        'Deployment/grapevine-api.spec.replicas': [5, 15],
        'Deployment/grapevine-app.spec.replicas': [2, 23],
        'Deployment/steward.spec.replicas': [1, 31],
        'Deployment/ingest-worker.spec.replicas': [5, 39],
        'Deployment/cron-worker.spec.replicas': [1, 47],
        'Deployment/index-worker.spec.replicas': [5, 55],
        'Deployment/slackbot.spec.replicas': [3, 63],
      });
      expect(replicas('production')).toEqual({
        'Deployment/ingest-gatekeeper.spec.replicas': [5, 7],
        'Deployment/grapevine-api.spec.replicas': [10, 15],
        'Deployment/grapevine-app.spec.replicas': [3, 23],
        'Deployment/steward.spec.replicas': [2, 31],
        'Deployment/ingest-worker.spec.replicas': [80, 39],
        'Deployment/cron-worker.spec.replicas': [1, 47],
        'Deployment/index-worker.spec.replicas': [50, 55],
        'Deployment/slackbot.spec.replicas': [30, 63],
      });
    });

    it('keeps the namespace as a leaf of each patched Deployment (gathertown staging)', () => {
      const namespaces = valuesOf(
        overlay('staging', 'replicas-patch.yaml').filter((leaf) => leaf.path[2] === 'namespace'),
      );
      expect(namespaces['Deployment/grapevine-api.metadata.namespace']).toBe('grapevine-services');
      expect(namespaces['Deployment/slackbot.metadata.namespace']).toBe('grapevine-workers');
    });

    it('keys containers by name in the staging resources patch (gathertown)', () => {
      const values = valuesOf(overlay('staging', 'resources-patch.yaml'));
      const container = 'Deployment/ingest-worker.spec.template.spec.containers.ingest-worker';
      expect(values[`${container}.resources.requests.ephemeral-storage`]).toBe('4Gi');
      expect(values[`${container}.resources.limits.memory`]).toBe('4Gi');
    });

    it('keys ingress hosts by resource, staging against production (gathertown)', () => {
      const host = 'Ingress/ingest-gatekeeper.spec.rules[0].host';
      expect(valuesOf(overlay('staging', 'ingress-patch.yaml'))[host]).toBe('*.ingest.stg.example.com');
      expect(valuesOf(overlay('production', 'ingress-patch.yaml'))[host]).toBe('*.ingest.example.com');
    });

    it('keys kustomization images by name (gathertown)', () => {
      const image = 'Kustomization/grapevine-staging.images.REGISTRY/grapevine-api';
      expect(valuesOf(overlay('staging', 'kustomization.yaml'))[`${image}.newTag`]).toBe('staging');
      const production = 'Kustomization/grapevine-production.images.REGISTRY/grapevine-api';
      expect(valuesOf(overlay('production', 'kustomization.yaml'))[`${production}.newTag`]).toBe('production');
    });

    it('reads a ConfigMap of shared settings (gathertown devenv)', () => {
      const values = valuesOf(overlay('devenv', 'shared-env.yaml'));
      expect(values['ConfigMap/grapevine-shared-env-vars.data.AWS_ENDPOINT_URL']).toBe('http://localstack:4566');
    });
  });
});

function parsesOrRefuses(text: string): void {
  try {
    for (const leaf of kubernetesFormat.parse(text, 'fuzz.yaml')) {
      expect(leaf.line).toBeGreaterThan(0);
      expect(leaf.column).toBeGreaterThan(0);
    }
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
  }
  expect(typeof looksLikeKubernetes(text)).toBe('boolean');
}
