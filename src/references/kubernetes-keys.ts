import type { PathSegment } from '../formats/format.js';
import { formatKeyPath, parseKeyPath } from '../snapshot/key-path.js';

/**
 * Kubernetes resources as the code sees them. The k8s format keys a resource
 * `Kind/name` (`ConfigMap/app.data.MAX_UPLOAD_MB`), but a pod does not read
 * that path: `envFrom` turns a ConfigMap's or Secret's `data` keys into
 * environment variables, and a container's `env` list sets them one by one,
 * so `process.env.MAX_UPLOAD_MB` reads `ConfigMap/app.data.MAX_UPLOAD_MB`.
 * Everything else in a manifest (`apiVersion`, `kind`, `metadata.*`, a
 * Secret's `type`, a Deployment's replicas and images, data keys mounted as
 * files) is read by the platform, never by the code by key, so no code read
 * can make it stale or fresh.
 *
 * A resource is recognised where the k8s format put it: a segment shaped like
 * its id (`Kind`, `Kind/name`, `Kind/namespace/name`) with an `apiVersion`
 * key under it, which every resource has; a source's `prefix:` may put it
 * below other segments.
 */
export class KubernetesKeys {
  readonly #roots: ReadonlySet<string>;

  private constructor(roots: ReadonlySet<string>) {
    this.#roots = roots;
  }

  /** The resources among configured keys. Cheap: only keys ending in `apiVersion` are parsed. */
  static of(keys: Iterable<string>): KubernetesKeys {
    const roots = new Set<string>();
    for (const key of keys) {
      if (!key.endsWith('.apiVersion')) continue;
      const segments = segmentsOf(key);
      const id = segments?.[segments.length - 2];
      if (segments && typeof id === 'string' && RESOURCE_ID.test(id)) {
        roots.add(formatKeyPath(segments.slice(0, -1)));
      }
    }
    return new KubernetesKeys(roots);
  }

  get isEmpty(): boolean {
    return this.#roots.size === 0;
  }

  /** The environment variable a key sets for the code (`MAX_UPLOAD_MB`), or undefined when it sets none. */
  envName(key: string): string | undefined {
    const resource = this.#resourceOf(key);
    return resource ? envNameIn(resource.kind, resource.rest) : undefined;
  }

  /**
   * Whether a key belongs to a resource but is the platform's (metadata,
   * spec), not configuration the code reads. A data key named like a file
   * (`nginx.conf`, `application.properties`) is mounted as one: the code
   * opens the file, and no read by key can make it stale either.
   */
  isPlatformOnly(key: string): boolean {
    const resource = this.#resourceOf(key);
    if (!resource) return false;
    const [field, name] = resource.rest;
    if (DATA_FIELDS[resource.kind]?.includes(field as string)) return typeof name === 'string' && FILE_NAME.test(name);
    return envNameIn(resource.kind, resource.rest) === undefined;
  }

  #resourceOf(key: string): { kind: string; rest: readonly PathSegment[] } | undefined {
    if (this.#roots.size === 0) return undefined;
    const segments = segmentsOf(key);
    if (!segments) return undefined;
    for (let index = 0; index < segments.length - 1; index++) {
      const id = segments[index];
      if (typeof id !== 'string' || !RESOURCE_ID.test(id)) continue;
      if (!this.#roots.has(formatKeyPath(segments.slice(0, index + 1)))) continue;
      return { kind: id.split('/')[0] as string, rest: segments.slice(index + 1) };
    }
    return undefined;
  }
}

/** `Deployment`, `ConfigMap/app`, `Service/blue/web`: a Kind is a capitalised identifier. */
const RESOURCE_ID = /^[A-Z][A-Za-z0-9]*(?:\/[^/]+){0,2}$/;

/** Fields whose keys are configuration content, by kind. Only `data` and `stringData` become variables. */
const DATA_FIELDS: Readonly<Record<string, readonly string[]>> = {
  ConfigMap: ['data', 'binaryData'],
  Secret: ['data', 'stringData'],
};
const ENV_FROM_FIELDS: Readonly<Record<string, readonly string[]>> = {
  ConfigMap: ['data'],
  Secret: ['data', 'stringData'],
};
const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);
/** `nginx.conf`, `application.properties`, `logo.png`: a name with an extension. */
const FILE_NAME = /\.[A-Za-z][A-Za-z0-9]*$/;

/** `data.X` of a ConfigMap or Secret, or `…containers.<name>.env.X…` of any workload, sets X. */
function envNameIn(kind: string, rest: readonly PathSegment[]): string | undefined {
  const [field, name] = rest;
  if (rest.length === 2 && typeof name === 'string' && ENV_FROM_FIELDS[kind]?.includes(field as string)) return name;
  for (let index = 0; index + 3 < rest.length; index++) {
    const list = rest[index];
    const variable = rest[index + 3];
    if (typeof list !== 'string' || !CONTAINER_LISTS.has(list)) continue;
    if (typeof rest[index + 1] !== 'string' || rest[index + 2] !== 'env' || typeof variable !== 'string') continue;
    return variable;
  }
  return undefined;
}

function segmentsOf(key: string): PathSegment[] | undefined {
  try {
    return parseKeyPath(key);
  } catch {
    return undefined;
  }
}
