import { type Document, isMap, isScalar, isSeq, type Node, type Scalar, type YAMLMap } from 'yaml';
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

/**
 * Whether any document of `text` is a Kubernetes Secret: a YAML document
 * with a top-level `apiVersion` and `kind: Secret`, or JSON whose top level
 * is a Secret (or a List holding one). A Secret is read as one whatever else
 * the file holds, so that its data is never taken for plain values. A line
 * scan for YAML, like `looksLikeKubernetes`; JSON is parsed only when it
 * names an apiVersion.
 */
export function holdsKubernetesSecret(text: string): boolean {
  if (!text.includes('Secret')) return false;
  if (isJsonText(text)) return kubernetesJson(text)?.secret === true;
  for (const document of text.split(DOCUMENT_MARKER)) {
    const topLevel = document.split(/\r?\n/).filter((line) => /^[^\s#-]/.test(line));
    if (topLevel.some((line) => SECRET_KIND.test(line)) && topLevel.some((line) => API_VERSION.test(line))) return true;
  }
  return false;
}

/** Whether JSON text is a Kubernetes resource (or a List of them): `kubectl get … -o json`. */
export function looksLikeKubernetesJson(text: string): boolean {
  return kubernetesJson(text) !== undefined;
}

function isJsonText(text: string): boolean {
  const start = text.trimStart();
  return start.startsWith('{') || start.startsWith('[');
}

function kubernetesJson(text: string): { readonly secret: boolean } | undefined {
  if (!/"apiVersion"\s*:/.test(text) || !/"kind"\s*:/.test(text)) return undefined;
  let document: unknown;
  try {
    document = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    // Not strict JSON (comments, say): the JSON format reads it, or says what is wrong.
    return undefined;
  }
  if (!isResourceObject(document)) return undefined;
  const items = document.kind === 'List' && Array.isArray(document.items) ? document.items : [];
  return {
    secret: document.kind === 'Secret' || items.some((item) => isResourceObject(item) && item.kind === 'Secret'),
  };
}

function isResourceObject(value: unknown): value is { apiVersion: string; kind: string; items?: unknown } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const { apiVersion, kind } = value as Record<string, unknown>;
  return typeof apiVersion === 'string' && typeof kind === 'string';
}

const SECRET_KIND = /^["']?kind["']?\s*:\s*["']?Secret["']?\s*(?:#.*)?$/;
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

/** A resource of the text, or a document that is not one, read as YAML (beside a Secret). */
type Part = { readonly resource: Resource } | { readonly plain: Leaf[] };

function kubernetesLeaves(text: string, origin: string): Leaf[] {
  // JSON is YAML: `kubectl get secret -o json` reads here too, with lines and columns.
  const walker = new LeafWalker(parseYamlStream(text, origin));
  const { documents } = walker.stream;
  // A file that holds a Secret is read as manifests whatever else it holds (the Secret must never be
  // plain data); its other documents are then read as the YAML format reads them, not refused.
  const plainAllowed = documents.some((doc) => isSecretDocument(walker, doc));
  const parts: Part[] = [];
  for (const [index, doc] of documents.entries()) {
    if (plainAllowed && !isResourceNode(walker, walker.resolve(doc.contents))) {
      parts.push({ plain: walker.documentLeaves(doc, RESOURCE) });
      continue;
    }
    for (const resource of documentResources(walker, doc, index + 1)) parts.push({ resource });
  }
  walker.throwIfProblems();
  const resources = parts.flatMap((part) => ('resource' in part ? [part.resource] : []));
  const ids = resourceIds(resources);
  let next = 0;
  const leaves = parts.map((part) => {
    if ('plain' in part) return part.plain;
    const id = ids[next++] ?? part.resource.kind;
    return resourceLeaves(walker, part.resource, id);
  });
  walker.throwIfProblems();
  return mergeDocumentLeaves(leaves);
}

/** A map with string `apiVersion` and `kind`, checked without reporting anything. */
function isResourceNode(walker: LeafWalker, node: Node | undefined): node is YAMLMap {
  if (!isMap(node)) return false;
  const entries = walker.entries(node);
  return entryString(walker, entries, 'apiVersion') !== undefined && entryString(walker, entries, 'kind') !== undefined;
}

/** A Secret, or a List holding one. */
function isSecretDocument(walker: LeafWalker, doc: Document.Parsed): boolean {
  const root = walker.resolve(doc.contents);
  if (!isResourceNode(walker, root)) return false;
  const entries = walker.entries(root);
  const kind = entryString(walker, entries, 'kind');
  if (kind === 'Secret') return true;
  if (kind !== 'List') return false;
  const items = walker.resolve(entries.find((entry) => entry.key === 'items')?.value);
  if (!isSeq(items)) return false;
  return items.items.some((item) => {
    const node = walker.resolve(item);
    return isResourceNode(walker, node) && entryString(walker, walker.entries(node), 'kind') === 'Secret';
  });
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
