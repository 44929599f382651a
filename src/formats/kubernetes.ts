import { type Document, isMap, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import type { Format, Leaf, PathSegment } from './format.js';
import {
  guardParse,
  isEmptyDocument,
  LeafWalker,
  type MapEntry,
  mergeDocumentLeaves,
  parseYamlStream,
  type WalkOptions,
} from './yaml-leaves.js';

/**
 * Kubernetes manifests: one resource per YAML document (`---`), `kind: List`
 * expanded to its items. Values become leaves as in the YAML format; what
 * differs is how they are keyed, so that two environments line up resource by
 * resource and item by item rather than by position:
 *
 * - A resource is one path segment, `Kind/name` (`Deployment/grapevine-api`).
 *   When the same Kind/name is in more than one namespace in one text, those
 *   resources are `Kind/namespace/name` (one without a namespace stays
 *   `Kind/name`). A resource without `metadata.name` (a Kustomization) is
 *   `Kind` alone. The same resource twice: the later document overrides.
 * - `kind` and `metadata.name` are the identity, so they are not leaves.
 *   `apiVersion` is a leaf, and so is `metadata.namespace`: an environment
 *   deployed to another namespace then differs by one key, not by every key.
 * - A list whose items are all maps with a unique string `name` (containers,
 *   env, ports, volumes, volumeMounts…) is keyed by name:
 *   `Deployment/api.spec.template.spec.containers.api.env.DATABASE_URL.value`.
 *   The `name` leaf is dropped (it is the segment) unless it is all the item
 *   has. Other lists keep index segments.
 * - ConfigMap `data` and `binaryData` keys are ordinary leaves
 *   (`ConfigMap/app.data.application.properties`). Secret `data` is
 *   base64-decoded (kept as base64 when it is not UTF-8 text) and, with
 *   `stringData`, marked sensitive whatever the key's name.
 */
export const kubernetesFormat: Format = {
  id: 'k8s',
  extensions: [],
  parse(text: string, origin: string): Leaf[] {
    return guardParse(origin, () => kubernetesLeaves(text, origin));
  },
};

/**
 * Whether every non-empty YAML document of `text` is a map with string
 * `apiVersion` and `kind` (and there is at least one). Cheap: no aliases are
 * expanded, nothing is walked below the top level. Never throws.
 */
export function looksLikeKubernetes(text: string): boolean {
  // A line scan, not a parse: detection runs on every YAML file, and parsing
  // a large Helm values file twice would double the cost of a snapshot. The
  // k8s format itself parses strictly and reports what is not a resource.
  let resources = 0;
  for (const document of text.split(DOCUMENT_MARKER)) {
    const content = document.split(/\r?\n/).filter((line) => !BLANK_OR_COMMENT.test(line) && !DIRECTIVE.test(line));
    if (content.length === 0) continue;
    const topLevel = content.filter((line) => /^[^\s-]/.test(line));
    if (!topLevel.some((line) => API_VERSION.test(line)) || !topLevel.some((line) => KIND.test(line))) return false;
    resources++;
  }
  return resources > 0;
}

const DOCUMENT_MARKER = /^---[^\S\r\n]*(?:#.*)?$|^\.\.\.[^\S\r\n]*$/m;
const BLANK_OR_COMMENT = /^\s*(?:#.*)?$/;
const DIRECTIVE = /^%/;
const API_VERSION = /^["']?apiVersion["']?\s*:\s*["']?[A-Za-z][A-Za-z0-9./-]*["']?\s*(?:#.*)?$/;
const KIND = /^["']?kind["']?\s*:\s*["']?[A-Za-z][A-Za-z0-9]*["']?\s*(?:#.*)?$/;

const SECRET_DATA: WalkOptions = { namedLists: true, sensitive: true };
const RESOURCE: WalkOptions = { namedLists: true };
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

interface Resource {
  readonly kind: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly entries: readonly MapEntry[];
}

function kubernetesLeaves(text: string, origin: string): Leaf[] {
  const walker = new LeafWalker(parseYamlStream(text, origin));
  const resources: Resource[] = [];
  for (const [index, doc] of walker.stream.documents.entries()) {
    resources.push(...documentResources(walker, doc, index + 1));
  }
  walker.throwIfProblems();
  const ids = resourceIds(resources);
  const leaves = resources.map((resource, index) => resourceLeaves(walker, resource, ids[index] ?? resource.kind));
  walker.throwIfProblems();
  return mergeDocumentLeaves(leaves);
}

function documentResources(walker: LeafWalker, doc: Document.Parsed, number: number): Resource[] {
  const root = walker.resolve(doc.contents);
  if (root === undefined || isEmptyDocument(root)) return [];
  const resource = readResource(walker, root, `document ${number}`);
  if (!resource) return [];
  if (resource.kind !== 'List') return [resource];
  const items = walker.resolve(resource.entries.find((entry) => entry.key === 'items')?.value);
  if (!isSeq(items)) {
    walker.problem(root, `document ${number} is a List without a list of items`);
    return [];
  }
  return items.items.flatMap((item, index) => {
    const node = walker.resolve(item);
    const itemResource = node && readResource(walker, node, `item ${index + 1} of the List in document ${number}`);
    return itemResource ? [itemResource] : [];
  });
}

function readResource(walker: LeafWalker, node: Node, what: string): Resource | undefined {
  if (!isMap(node)) {
    walker.problem(node, `${what} is not a Kubernetes resource: expected a map with apiVersion and kind`);
    return undefined;
  }
  const entries = walker.entries(node);
  const missing = ['apiVersion', 'kind'].filter((key) => entryString(walker, entries, key) === undefined);
  if (missing.length > 0) {
    walker.problem(node, `${what} is not a Kubernetes resource: missing ${missing.join(' and ')}`);
    return undefined;
  }
  const metadata = walker.resolve(entries.find((entry) => entry.key === 'metadata')?.value);
  const metadataEntries = isMap(metadata) ? walker.entries(metadata) : [];
  return {
    kind: entryString(walker, entries, 'kind') ?? '',
    name: entryString(walker, metadataEntries, 'name'),
    namespace: entryString(walker, metadataEntries, 'namespace'),
    entries,
  };
}

/** `Kind/name`, or `Kind/namespace/name` where one Kind/name is in several namespaces. */
function resourceIds(resources: readonly Resource[]): string[] {
  const namespaces = new Map<string, Set<string | undefined>>();
  for (const resource of resources) {
    const id = shortId(resource);
    const seen = namespaces.get(id) ?? new Set();
    seen.add(resource.namespace);
    namespaces.set(id, seen);
  }
  return resources.map((resource) => {
    const id = shortId(resource);
    const ambiguous = (namespaces.get(id)?.size ?? 0) > 1;
    if (!ambiguous || resource.namespace === undefined || resource.name === undefined) return id;
    return `${resource.kind}/${resource.namespace}/${resource.name}`;
  });
}

function shortId(resource: Resource): string {
  return resource.name === undefined ? resource.kind : `${resource.kind}/${resource.name}`;
}

function resourceLeaves(walker: LeafWalker, resource: Resource, id: string): Leaf[] {
  const out: Leaf[] = [];
  for (const entry of resource.entries) {
    if (entry.key === 'kind') continue;
    const path = [id, entry.key];
    if (entry.key === 'metadata') {
      metadataLeaves(walker, resource, entry, path, out);
      continue;
    }
    if (resource.kind === 'Secret' && entry.key === 'data') {
      secretDataLeaves(walker, entry, path, out);
      continue;
    }
    const options = resource.kind === 'Secret' && entry.key === 'stringData' ? SECRET_DATA : RESOURCE;
    walker.walk(entry.value, path, out, options, entry.keyNode);
  }
  return out;
}

/** metadata without `name` when the name is the resource's identity. */
function metadataLeaves(walker: LeafWalker, resource: Resource, entry: MapEntry, path: PathSegment[], out: Leaf[]) {
  const metadata = walker.resolve(entry.value);
  if (!isMap(metadata) || resource.name === undefined) {
    walker.walk(entry.value, path, out, RESOURCE, entry.keyNode);
    return;
  }
  for (const field of walker.entries(metadata)) {
    if (field.key === 'name') continue;
    walker.walk(field.value, [...path, field.key], out, RESOURCE, field.keyNode);
  }
}

/** Secret `data`: base64, decoded to text when it is UTF-8; every leaf sensitive. */
function secretDataLeaves(walker: LeafWalker, entry: MapEntry, path: PathSegment[], out: Leaf[]) {
  const data = walker.resolve(entry.value);
  if (!isMap(data)) {
    walker.walk(entry.value, path, out, SECRET_DATA, entry.keyNode);
    return;
  }
  for (const field of walker.entries(data)) {
    const fieldPath = [...path, field.key];
    const value = walker.resolve(field.value);
    if (!isScalar(value) || typeof value.value !== 'string' || isTagged(value)) {
      // A number or boolean is a mistake kubectl rejects too. Anything else (empty, a tagged
      // placeholder such as `!vault …`) is not base64 and is walked as written, still sensitive.
      const mistaken = isScalar(value) && !isTagged(value) && value.value !== null;
      if (mistaken) walker.problem(value, `Secret data '${field.key}' is not a base64 string`);
      else walker.walk(field.value, fieldPath, out, SECRET_DATA, field.keyNode);
      continue;
    }
    // Go's decoder, which the API server uses, skips line breaks (and nothing else).
    const base64 = value.value.replace(/[\r\n]/g, '');
    if (!BASE64.test(base64)) {
      walker.problem(value, `Secret data '${field.key}' is not valid base64`);
      continue;
    }
    out.push({
      path: fieldPath,
      value: decodeUtf8(base64) ?? base64,
      type: 'string',
      ...walker.position(value),
      sensitive: true,
    });
  }
}

function decodeUtf8(base64: string): string | undefined {
  try {
    return utf8.decode(Buffer.from(base64, 'base64'));
  } catch {
    return undefined;
  }
}

function isTagged(scalar: Scalar): boolean {
  return scalar.tag !== undefined && scalar.tag !== 'tag:yaml.org,2002:str';
}

/** A string scalar entry of a map (through aliases), e.g. `kind`. */
function entryString(walker: LeafWalker, entries: readonly MapEntry[], key: string): string | undefined {
  const value = walker.resolve(entries.find((entry) => entry.key === key)?.value);
  return isScalar(value) && typeof value.value === 'string' ? value.value : undefined;
}
