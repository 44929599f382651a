import type { Config, EnvironmentConfig, SourceConfig } from '../config/load.js';
import { DriftwatchError, type Problem } from '../errors.js';
import { detectFormat } from '../formats/detect.js';
import type { FlatLeaves, FormatId, Leaf, LeafValue, PathSegment } from '../formats/format.js';
import { formats } from '../formats/index.js';
import { decodeText } from '../sources/decode-text.js';
import type { FileTree } from '../sources/file-tree.js';
import { sources } from '../sources/index.js';
import type { SourceContext, SourceDocument } from '../sources/source.js';
import { type DeclaredSecrets, declaredSecrets } from './declared-secrets.js';
import { keyedHash } from './fingerprint.js';
import { formatKeyPath, KeyPathSyntaxError, parseKeyPath } from './key-path.js';
import { type Branch, leavesOf, mergeInto, treeOf } from './merge-tree.js';
import { NamedListOrders } from './named-lists.js';
import { classify } from './sensitive.js';
import type { Snapshot, SourceStatus } from './snapshot.js';
import { type DocumentOrigin, SnapshotEntry, type WrittenAt } from './snapshot-entry.js';
import { KeyOrder, SortedEntries } from './sorted-entries.js';

export interface SnapshotOptions {
  readonly config: Config;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly fingerprintKey: Buffer;
  /** Where `path` sources read their files. */
  readonly files: FileTree;
  readonly now?: Date;
}

/** A snapshot and what went wrong while taking it. Any problem means the snapshot is incomplete: fail closed. */
export interface SnapshotResult {
  readonly snapshot: Snapshot;
  readonly problems: readonly Problem[];
}

interface Placed {
  readonly leaf: Leaf;
  readonly path: readonly PathSegment[];
  readonly document: DocumentOrigin;
}

/**
 * What the environments already snapshotted in the same run built. A key
 * holding the same value in another environment takes that entry's
 * classification (and fingerprint, once computed) instead of a classify of its
 * own: most values are equal across environments, and classifying is most of
 * a snapshot's cost. Sound because both depend on the key and the leaf (type,
 * tag, value, sensitive) alone — toEntry must keep it so; the origin is the
 * entry's own. An entry shows no secret's value, and drops it once its
 * fingerprint is taken, so the run keeps those apart, and only until its last
 * environment is built.
 */
export class SnapshottedEntries {
  /** Each environment's entries, in the order they were built. */
  readonly built: SortedEntries<SnapshotEntry>[] = [];
  readonly #secretValues = new Map<SnapshotEntry, LeafValue>();

  add(entries: SortedEntries<SnapshotEntry>, secretValues: ReadonlyMap<SnapshotEntry, LeafValue>): void {
    this.built.push(entries);
    for (const [entry, value] of secretValues) this.#secretValues.set(entry, value);
  }

  /** The environment built first, whose key order the others are placed by (see KeyOrder). */
  get reference(): SortedEntries<SnapshotEntry> | undefined {
    return this.built[0];
  }

  /**
   * The entry another environment built for the same key and the same leaf,
   * with this leaf's origin. `rank`: the key's place in the reference, already looked up.
   */
  sameAs(key: string, placed: Placed, rank: number | undefined): SnapshotEntry | undefined {
    const { leaf } = placed;
    const fromSecretResource = leaf.sensitive === true;
    // A plain indexed loop: this runs once per key.
    for (let index = 0; index < this.built.length; index++) {
      const entries = this.built[index] as SortedEntries<SnapshotEntry>;
      const other = index === 0 ? (rank === undefined ? undefined : entries.at(rank)) : entries.get(key);
      if (other === undefined || other.type !== leaf.type || other.tag !== leaf.tag) continue;
      const value = other.sensitive ? this.#secretValues.get(other) : other.value;
      if (value !== leaf.value || (other.sensitiveReason === 'kubernetes-secret') !== fromSecretResource) continue;
      // Without its value at hand a secret cannot be compared: it is classified again.
      if (value === undefined) continue;
      return other.writtenAt(writtenAt(placed));
    }
    return undefined;
  }
}

/** Reads every source of one environment, in order, and merges them: later sources win. */
export async function takeSnapshot(
  environment: EnvironmentConfig,
  options: SnapshotOptions,
  snapshotted = new SnapshottedEntries(),
): Promise<SnapshotResult> {
  const context: SourceContext = { configDir: options.config.dir, env: options.env, files: options.files };
  const problems: Problem[] = [];
  const statuses: SourceStatus[] = [];
  const merging: SourceRead[] = [];

  // Sources are read concurrently but parsed and merged in their declared order. Parsing waits
  // until every source is read, so that environments snapshotted together hold the leaves of
  // one environment at a time, not all of them at once.
  const fetched = await Promise.all(environment.sources.map((source) => fetchSource(source, context)));
  for (const [index, source] of environment.sources.entries()) {
    const read = parseSource(source, fetched[index] as Fetched, options.fingerprintKey);
    if (read.problems.length > 0) {
      problems.push(...read.problems.map((problem) => ({ source: source.label, ...problem })));
      statuses.push({ source: source.label, status: 'error', documents: read.documents, keys: 0 });
      continue;
    }
    merging.push(read);
    const { digest } = read;
    statuses.push({
      source: source.label,
      status: 'ok',
      documents: read.documents,
      // Taken when read (the history, `snapshot --format json`): a check never shows it.
      get digest() {
        return digest();
      },
      keys: read.keys,
    });
  }

  const reference = snapshotted.reference;
  const order = new KeyOrder<SnapshotEntry>(reference);
  const secretValues = new Map<SnapshotEntry, LeafValue>();
  const namedLists = new NamedListOrders();
  const declared = declaredSecrets(options.config.secrets);
  eachMergedLeaf(merging, (placed) => {
    const key = formatKeyPath(placed.path);
    const rank = reference?.rankOf(key);
    let entry = snapshotted.sameAs(key, placed, rank);
    if (entry === undefined) {
      entry = toEntry(key, placed, options.fingerprintKey, declared);
      if (entry.sensitive) secretValues.set(entry, placed.leaf.value);
    }
    order.add(entry, rank);
    namedLists.add(placed.path, placed.leaf);
  });
  const orders = namedLists.orders();
  const entries = new SortedEntries(order.sorted());
  snapshotted.add(entries, secretValues);

  return {
    snapshot: {
      env: environment.name,
      takenAt: (options.now ?? new Date()).toISOString(),
      entries,
      sources: statuses,
      ...(orders ? { namedLists: orders } : {}),
    },
    problems,
  };
}

/**
 * The leaves of an environment's sources merged in order (see merge-tree.ts),
 * each given to `visit`. One source of one document needs no merge: a format
 * gives every path once, in one shape, so its leaves are the result, and the
 * tree is not built; they are placed one at a time, as they are used.
 */
function eachMergedLeaf(reads: readonly SourceRead[], visit: (placed: Placed) => void): void {
  const [only] = reads;
  if (reads.length === 1 && only !== undefined && only.parts.length <= 1) {
    const [part] = only.parts;
    if (part !== undefined) eachPlacedLeaf(part, visit);
    return;
  }
  let merged: Branch<Placed> | undefined;
  for (const read of reads) {
    const placed: Placed[] = [];
    for (const part of read.parts) eachPlacedLeaf(part, (one) => placed.push(one));
    const tree = treeOf(placed);
    // The first source's tree is the merge so far: no copy of it.
    merged = merged === undefined ? tree : mergeInto(merged, tree);
  }
  if (merged !== undefined) for (const placed of leavesOf(merged)) visit(placed);
}

function toEntry(key: string, placed: Placed, fingerprintKey: Buffer, declared: DeclaredSecrets): SnapshotEntry {
  const { leaf } = placed;
  const classification = classify(placed.path, leaf.value, leaf.sensitive === true, declared);
  const fields = {
    key,
    type: leaf.type,
    value: classification.sensitive ? classification.shown : leaf.value,
    sensitive: classification.sensitive,
    sensitiveReason: classification.reason,
    tag: leaf.tag === '' ? undefined : leaf.tag,
  };
  // A secret's full value is held by the entry alone, until its fingerprint is read.
  return new SnapshotEntry(fields, writtenAt(placed), fingerprintKey, leaf.value);
}

function writtenAt(placed: Placed): WrittenAt {
  return { document: placed.document, line: placed.leaf.line, column: placed.leaf.column };
}

/** One document's leaves, as its format gave them, and where they go. */
interface ParsedDocument {
  readonly document: DocumentOrigin;
  readonly prefix: readonly PathSegment[];
  readonly leaves: readonly Leaf[] | FlatLeaves;
}

/**
 * A document's leaves at their place in the snapshot, made one at a time and
 * given to `visit`: most are used once, at once. Plain indexed loops and a
 * callback, not a generator: this runs once per key.
 */
function eachPlacedLeaf(parsed: ParsedDocument, visit: (placed: Placed) => void): void {
  const { document, prefix, leaves } = parsed;
  if (!isLeafList(leaves)) {
    const { keys, values, lines, columns } = leaves;
    for (let index = 0; index < keys.length; index++) {
      const path = prefix.length === 0 ? [keys[index] as string] : [...prefix, keys[index] as string];
      const leaf: Leaf = {
        path,
        value: values[index] as string,
        type: 'string',
        line: lines[index] as number,
        column: columns[index] as number,
      };
      visit({ leaf, path, document });
    }
    return;
  }
  for (let index = 0; index < leaves.length; index++) {
    const leaf = leaves[index] as Leaf;
    if (prefix.length + leaf.path.length === 0) continue;
    visit({ leaf, path: prefix.length === 0 ? leaf.path : [...prefix, ...leaf.path], document });
  }
}

function isLeafList(leaves: readonly Leaf[] | FlatLeaves): leaves is readonly Leaf[] {
  return Array.isArray(leaves);
}

/** How many keys a document gives: a scalar at the root of a document gives none without a prefix. */
function keyCount(parsed: ParsedDocument): number {
  const { prefix, leaves } = parsed;
  if (!isLeafList(leaves)) return leaves.keys.length;
  return prefix.length > 0 ? leaves.length : leaves.filter((leaf) => leaf.path.length > 0).length;
}

interface SourceRead {
  readonly parts: readonly ParsedDocument[];
  readonly keys: number;
  readonly documents: string[];
  /** The source's digest (see SourceStatus), taken on the first call. */
  readonly digest: () => string;
  readonly problems: Problem[];
}

/** A source's documents as its reader gave them, or why it could not read them. */
type Fetched = { readonly documents: SourceDocument[] } | { readonly problems: readonly Problem[] };

async function fetchSource(source: SourceConfig, context: SourceContext): Promise<Fetched> {
  const reader = sources.get(source.kind);
  if (!reader) throw new Error(`source kind '${source.kind}' is not registered`);
  try {
    return { documents: await reader.read(source.spec, context) };
  } catch (error) {
    if (error instanceof DriftwatchError) return { problems: error.problems };
    throw error;
  }
}

function parseSource(source: SourceConfig, fetched: Fetched, fingerprintKey: Buffer): SourceRead {
  if ('problems' in fetched) return unreadSource([...fetched.problems], fingerprintKey);
  const { documents } = fetched;

  let prefix: PathSegment[] = [];
  if (source.spec.prefix !== undefined) {
    try {
      prefix = parseKeyPath(source.spec.prefix);
    } catch (error) {
      if (!(error instanceof KeyPathSyntaxError)) throw error;
      return unreadSource([{ message: `prefix: ${error.message}` }], fingerprintKey);
    }
  }

  const parts: ParsedDocument[] = [];
  const problems: Problem[] = [];
  // What the digest covers, in order: the texts are kept anyway, by the values sliced from them.
  const digested: string[] = [];
  for (const document of documents) {
    let leaves: readonly Leaf[] | FlatLeaves;
    if ('leaves' in document) {
      leaves = document.leaves;
      digested.push(JSON.stringify(leaves));
    } else {
      let text: string;
      try {
        text = decodeText(document.bytes, document.origin, source.spec.encoding);
      } catch (error) {
        if (!(error instanceof DriftwatchError)) throw error;
        problems.push(...error.problems);
        continue;
      }
      digested.push(text);
      // Nothing to parse (an allowed empty command output, say): no keys, and no format to guess.
      if (text.trim() === '') continue;
      const formatId = detectFormat(
        document.origin,
        text,
        document.formatHint,
        source.spec.format as FormatId | undefined,
      );
      if (!formatId) {
        problems.push({
          file: document.origin,
          message: `cannot tell the format of ${document.origin}; set 'format:' on the source (one of ${Object.keys(formats).join(', ')})`,
        });
        continue;
      }
      try {
        const format = formats[formatId];
        leaves = format.parseFlat ? format.parseFlat(text, document.origin) : format.parse(text, document.origin);
      } catch (error) {
        if (!(error instanceof DriftwatchError)) throw error;
        problems.push(...error.problems);
        continue;
      }
    }
    const written: DocumentOrigin = {
      source: source.label,
      sourceKind: source.kind,
      file: document.origin,
      // A git source's files are committed by definition; a path source's, when git tracks them.
      tracked: source.kind === 'git' || ('tracked' in document && document.tracked === true),
    };
    parts.push({ document: written, prefix, leaves });
  }
  const keys = parts.reduce((sum, part) => sum + keyCount(part), 0);
  if (problems.length === 0 && keys === 0 && source.spec.allowEmpty !== true) {
    problems.push(emptySourceProblem(documents.map((document) => document.origin)));
  }
  const origins = documents.map((document) => document.origin);
  return { parts, keys, documents: origins, digest: digestOnce(digested, fingerprintKey), problems };
}

/** A source that could not be read at all: no documents, and the digest of nothing. */
function unreadSource(problems: Problem[], fingerprintKey: Buffer): SourceRead {
  return { parts: [], keys: 0, documents: [], digest: digestOnce([], fingerprintKey), problems };
}

/** The keyed digest of `texts` in order, taken on the first call; the texts are let go then. */
function digestOnce(texts: string[], fingerprintKey: Buffer): () => string {
  let digest: string | undefined;
  return () => {
    // Keyed: the texts hold secrets, and an unkeyed hash of a short one is undone by brute force.
    if (digest === undefined) {
      const hash = keyedHash(fingerprintKey);
      for (const text of texts) hash.update(text);
      digest = hash.digest('hex');
      texts.length = 0;
    }
    return digest;
  };
}

/**
 * A source that read fine and holds no key: an empty or comment-only file,
 * `---`, `~`, `{}`, a URL answering `{}`. Fail closed, like a command that
 * printed nothing: an emptied config must not pass as "0 keys".
 */
function emptySourceProblem(origins: readonly string[]): Problem {
  const hint = "if it may be empty, set 'allowEmpty: true' on the source";
  const [only] = origins;
  if (only === undefined || origins.length > 1) {
    return { message: `no keys in any of its ${origins.length} documents (${origins.join(', ')}); ${hint}` };
  }
  return {
    file: only,
    message: `no keys: the document is empty, only comments, or an empty map or list ('---', '~', '{}'); ${hint}`,
  };
}

/** Snapshots every environment (or the named ones) concurrently. */
export async function takeSnapshots(options: SnapshotOptions, names?: readonly string[]): Promise<SnapshotResult[]> {
  const selected = selectEnvironments(options.config, names);
  const snapshotted = new SnapshottedEntries();
  return Promise.all(selected.map((environment) => takeSnapshot(environment, options, snapshotted)));
}

export function selectEnvironments(config: Config, names?: readonly string[]): EnvironmentConfig[] {
  if (!names || names.length === 0) return [...config.environments];
  return names.map((name) => {
    const environment = config.environments.find((candidate) => candidate.name === name);
    if (!environment) {
      const known = config.environments.map((candidate) => candidate.name).join(', ');
      throw new UnknownEnvironmentError(name, known);
    }
    return environment;
  });
}

export class UnknownEnvironmentError extends DriftwatchError {
  constructor(name: string, known: string) {
    super('USAGE_ERROR', [{ message: `unknown environment '${name}'; the config defines ${known}` }]);
    this.name = 'UnknownEnvironmentError';
  }
}
