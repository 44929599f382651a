import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../src/formats/detect.js';
import { holdsKubernetesSecret, kubernetesFormat } from '../../src/formats/kubernetes.js';
import { byKey, parserFor } from './helpers.js';

/** A Kubernetes Secret is a Secret whatever the file holds (issue 8). */
const b64 = (text: string) => Buffer.from(text).toString('base64');

const SECRET_YAML = [
  'apiVersion: v1',
  'kind: Secret',
  'metadata: {name: app}',
  `data: {DB_PASSWORD: ${b64('hunter2')}}`,
];
const MIXED = ['replicas: 3', 'image: {tag: "1.4"}', '---', ...SECRET_YAML].join('\n');
const SECRET_JSON = JSON.stringify(
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'app' }, data: { DB_PASSWORD: b64('hunter2') } },
  null,
  2,
);

describe('formats/kubernetes: Secrets wherever they are', () => {
  it('detects a Secret beside plain configuration, and a Secret written as JSON', () => {
    expect(detectFormat('values.yaml', MIXED)).toBe('k8s');
    expect(detectFormat('secret.json', SECRET_JSON)).toBe('k8s');
    expect(detectFormat('https://config/app', SECRET_JSON, 'json')).toBe('k8s');
    expect(detectFormat('stdout', SECRET_JSON)).toBe('k8s');
    const list = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [JSON.parse(SECRET_JSON)] });
    expect(detectFormat('secrets.json', list)).toBe('k8s');
  });

  it('reads a Secret as one even where the source says format: yaml or json', () => {
    expect(detectFormat('values.yaml', MIXED, undefined, 'yaml')).toBe('k8s');
    expect(detectFormat('secret.json', SECRET_JSON, undefined, 'json')).toBe('k8s');
    expect(detectFormat('values.yaml', 'replicas: 3\n', undefined, 'yaml')).toBe('yaml');
  });

  it('leaves plain YAML and JSON, node-config JSON with comments, and mentions of Secrets alone', () => {
    expect(detectFormat('values.yaml', 'secretName: Secret\nkind: Secret\n')).toBe('yaml');
    expect(detectFormat('config.json', '{"db": {"kind": "Secret"}}')).toBe('json');
    expect(detectFormat('config.json', '{\n  // a comment\n  "apiVersion": "v1", "kind": "Secret"\n}')).toBe('json');
    expect(holdsKubernetesSecret('kind: ConfigMap\napiVersion: v1\n')).toBe(false);
  });

  it('reads the Secret of a mixed file as a Secret and its other documents as YAML does', () => {
    const leaves = byKey(parserFor(kubernetesFormat, 'values.yaml').parse(MIXED));
    expect(leaves.get('replicas')).toMatchObject({ value: 3, line: 1 });
    expect(leaves.get('image.tag')).toMatchObject({ value: '1.4' });
    expect(leaves.get('Secret/app.data.DB_PASSWORD')).toMatchObject({ value: 'hunter2', sensitive: true, line: 7 });
    expect([...leaves.keys()].some((key) => key === 'data.DB_PASSWORD')).toBe(false);
  });

  it('reads a JSON Secret with lines and columns, decoded and sensitive', () => {
    const leaves = byKey(parserFor(kubernetesFormat, 'secret.json').parse(SECRET_JSON));
    expect(leaves.get('Secret/app.data.DB_PASSWORD')).toMatchObject({
      value: 'hunter2',
      sensitive: true,
      line: 8,
      column: 20,
    });
    expect(leaves.get('Secret/app.apiVersion')).toMatchObject({ value: 'v1', line: 2 });
  });

  it('still refuses a document that is not a resource when the file holds no Secret', () => {
    const { problemsOf } = parserFor(kubernetesFormat, 'deploy.yaml');
    expect(problemsOf('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nreplicas: 3\n')).toEqual([
      {
        file: 'deploy.yaml',
        line: 5,
        column: 1,
        message: 'document 2 is not a Kubernetes resource: missing apiVersion and kind',
      },
    ]);
  });
});
