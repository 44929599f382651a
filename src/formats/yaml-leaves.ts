import {
  type Alias,
  type Document,
  type DocumentOptions,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  type ParseOptions,
  parseAllDocuments,
  type Scalar,
  type SchemaOptions,
  visit,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { ParseError, type Problem } from '../errors.js';
import type { Leaf, LeafValue, PathSegment, ValueType } from './format.js';

/**
 * Turns parsed YAML documents into leaves with line and column. Shared by the
 * YAML and Kubernetes formats. Decisions that show in every leaf:
 *
 * - Schema: YAML 1.2 core (`yes`/`no` stay strings) with `<<` merge keys,
 *   plain or spelt `!!merge <<`. Keys written in the map win over merged ones;
 *   among merge sources, the first listed wins (the YAML merge spec).
 * - Position: a leaf is placed where its value was written. A value reached
 *   through an alias or a merge key is placed at the anchored node, not at the
 *   alias: that is the line to edit to change it. An empty value (`password:`)
 *   is placed at its key.
 * - Aliases resolve to the most recent anchor of that name before them, as
 *   `yaml` does, so anchors redefined later in a file work. Expanding them is
 *   bounded: at most `ALIAS_EXPANSION_BUDGET` nodes beyond the document's own,
 *   so a billion-laughs document fails fast instead of eating the memory.
 * - Keys that are not strings (`1:`, `true:`, `null:`, `? [a, b]`) become a
 *   segment of their source text as written: `1`, `true`, `null`, `[a, b]`.
 * - Integers beyond Number.MAX_SAFE_INTEGER and non-finite floats (`.inf`)
 *   keep their source text as a string of type 'number'; explicit
 *   `!!timestamp` values (and YAML 1.1 dates) are 'datetime' ISO strings;
 *   `!!binary` keeps its base64 text as a 'string'.
 * - Custom tags (`!vault secret/db`, `!Ref Foo`, `!GetAtt [a, b]`) are
 *   'opaque' leaves carrying the tag. A tagged scalar's value is its text as
 *   written (quotes and escapes resolved); a tagged map or list is rendered as
 *   compact JSON, keys in written order, nested custom tags as `{"!Tag": …}`,
 *   so that re-indenting it or editing comments is not drift.
 */

/** Nodes that alias expansion may visit beyond those written in the text. */
export const ALIAS_EXPANSION_BUDGET = 250_000;

const YAML_ORG = 'tag:yaml.org,2002:';
/** Tags the core schema (with merge keys and yaml's known YAML 1.1 types) resolves itself. */
const SCHEMA_TAGS = new Set(
  ['str', 'int', 'float', 'bool', 'null', 'map', 'seq', 'binary', 'omap', 'pairs', 'set', 'timestamp', 'merge'].map(
    (name) => YAML_ORG + name,
  ),
);

/** How driftwatch reads YAML everywhere; see the decisions above. */
export const YAML_PARSE_OPTIONS = {
  version: '1.2',
  merge: true,
  uniqueKeys: true,
  intAsBigInt: true,
  prettyErrors: false,
  logLevel: 'silent',
} as const satisfies ParseOptions & DocumentOptions & SchemaOptions;

export interface YamlStream {
  readonly text: string;
  readonly origin: string;
  readonly lineCounter: LineCounter;
  readonly documents: readonly Document.Parsed[];
}

/**
 * Parses every document of `text`. Syntax errors, duplicate keys and the like
 * throw one ParseError listing all of them, across all documents.
 * Warnings (such as unresolved custom tags) are not errors.
 */
export function parseYamlStream(text: string, origin: string): YamlStream {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { ...YAML_PARSE_OPTIONS, lineCounter });
  const problems: Problem[] = [];
  for (const doc of documents) {
    for (const error of doc.errors) {
      const { line, col } = lineCounter.linePos(error.pos[0]);
      let message = firstLine(error.message);
      if (error.code === 'DUPLICATE_KEY') message += duplicateKeyDetail(doc, text, lineCounter, error.pos[0]);
      problems.push({ file: origin, line, column: col, message });
    }
  }
  if (problems.length > 0) throw new ParseError(uniqueProblems(problems));
  return { text, origin, lineCounter, documents };
}

export interface WalkOptions {
  /**
   * Key the items of a list by their `name` when every item is a map with a
   * unique string `name` (Kubernetes containers, env, ports); the `name` leaf
   * is then dropped, unless it is all the item has.
   */
  readonly namedLists?: boolean;
  /** Mark every leaf as sensitive. */
  readonly sensitive?: boolean;
  /** Set by the walker inside named list items: see `Leaf.namedItems`. */
  readonly namedItems?: readonly number[];
}

/** A map entry after merge keys are applied. */
export interface MapEntry {
  readonly key: string;
  readonly keyNode: Node | null;
  /** Null for a key without a value node (`? a`). */
  readonly value: Node | null;
}

export interface Position {
  readonly line: number;
  readonly column: number;
}

/**
 * Walks the documents of one stream into leaves. Collects problems (an
 * unresolved alias, a merge of something that is not a map) so that all of
 * them are reported at once by `throwIfProblems`; exceeding the alias budget
 * throws at once.
 */
export class LeafWalker {
  readonly #stream: YamlStream;
  readonly #problems: Problem[] = [];
  /** Each alias's anchored node: the last anchor of that name before it, in its document. */
  readonly #aliasTargets = new Map<Alias, Node>();
  readonly #entriesCache = new Map<YAMLMap, readonly MapEntry[]>();
  /** Maps whose merge keys are being applied, to stop a map merging itself. */
  readonly #merging = new Set<YAMLMap>();
  /** Collections on the path being walked: meeting one again means an alias or merge made a cycle. */
  readonly #walking = new Set<Node>();
  #budget: number;

  constructor(stream: YamlStream) {
    this.#stream = stream;
    let written = 0;
    for (const doc of stream.documents) {
      const anchors = new Map<string, Node>();
      visit(doc, {
        Node: (_key, node) => {
          written++;
          if (isAlias(node)) {
            const target = anchors.get(node.source);
            if (target) this.#aliasTargets.set(node, target);
            return;
          }
          if (node.anchor) anchors.set(node.anchor, node);
        },
      });
    }
    // Without aliases every written node is walked once as a value and at most once more as a map entry.
    this.#budget = 2 * written + ALIAS_EXPANSION_BUDGET;
  }

  get stream(): YamlStream {
    return this.#stream;
  }

  /** Records a problem at `node` (or at the start of the text). */
  problem(node: Node | null | undefined, message: string): void {
    const position = this.position(node);
    this.#problems.push({ file: this.#stream.origin, ...position, message });
  }

  throwIfProblems(): void {
    if (this.#problems.length > 0) throw new ParseError(uniqueProblems(this.#problems));
  }

  position(node: Node | null | undefined): Position {
    const { line, col } = this.#stream.lineCounter.linePos(node?.range?.[0] ?? 0);
    return { line, column: col };
  }

  /** The node an alias stands for (reporting an unresolved alias), or the node itself. */
  resolve(node: unknown): Node | undefined {
    if (!isAlias(node)) return isNode(node) ? node : undefined;
    const target = this.#aliasTargets.get(node);
    if (!target) this.problem(node, `unresolved alias *${node.source} (the anchor must be set before the alias)`);
    return target;
  }

  /** The entries of a map, merge keys applied, in written order. */
  entries(map: YAMLMap): readonly MapEntry[] {
    const cached = this.#entriesCache.get(map);
    if (cached) return cached;
    if (this.#merging.has(map)) {
      this.problem(map, 'a merge key (<<) makes this map merge itself');
      return [];
    }
    this.#merging.add(map);
    try {
      const entries = this.#mergedEntries(map);
      this.#spend(entries.length, map);
      this.#entriesCache.set(map, entries);
      return entries;
    } finally {
      this.#merging.delete(map);
    }
  }

  #mergedEntries(map: YAMLMap): MapEntry[] {
    const explicit = new Set<string>();
    for (const pair of map.items) if (!isMergeKey(pair.key)) explicit.add(this.keySegment(pair.key));
    const result = new Map<string, MapEntry>();
    for (const pair of map.items) {
      if (!isMergeKey(pair.key)) {
        const key = this.keySegment(pair.key);
        const keyNode = isNode(pair.key) ? pair.key : null;
        // yaml compares key values: `1` and `"1"` differ there, but are the same segment here.
        const first = result.get(key)?.keyNode;
        if (first !== undefined) {
          const firstLine = first?.range
            ? ` (first at line ${this.#stream.lineCounter.linePos(first.range[0]).line})`
            : '';
          this.problem(keyNode ?? map, `Map keys must be unique: ${key}${firstLine}`);
        }
        result.set(key, { key, keyNode, value: isNode(pair.value) ? pair.value : null });
        continue;
      }
      for (const source of this.#mergeSources(pair.value)) {
        for (const entry of source) {
          if (!explicit.has(entry.key) && !result.has(entry.key)) result.set(entry.key, entry);
        }
      }
    }
    return [...result.values()];
  }

  /** A map key as a path segment: a string key as is, any other key as its source text. */
  keySegment(key: unknown): string {
    if (isAlias(key)) {
      const target = this.#aliasTargets.get(key);
      return target ? this.keySegment(target) : `*${key.source}`;
    }
    if (isScalar(key) && typeof key.value === 'string') return key.value;
    if (isNode(key)) return this.sourceText(key).trim();
    return '';
  }

  sourceText(node: Node): string {
    return node.range ? this.#stream.text.slice(node.range[0], node.range[1]) : '';
  }

  /**
   * The leaves of one document. Its top level must be a map or a list (a tag
   * on it is ignored); an empty document or empty top level gives no leaves.
   */
  documentLeaves(doc: Document.Parsed, options: WalkOptions = {}): Leaf[] {
    const out: Leaf[] = [];
    const root = this.resolve(doc.contents);
    if (root === undefined || isEmptyDocument(root)) return out;
    if (isMap(root)) {
      if (this.entries(root).length > 0) this.#enter(root, () => this.#walkMap(root, [], out, options));
    } else if (isSeq(root)) {
      if (root.items.length > 0) this.#enter(root, () => this.#walkSeq(root, [], out, options));
    } else {
      this.problem(root, 'expected a map or a list at the top level');
    }
    return out;
  }

  /** Appends the leaves of `node` at `path` to `out`. */
  walk(
    node: Node | null,
    path: readonly PathSegment[],
    out: Leaf[],
    options: WalkOptions,
    keyNode?: Node | null,
  ): void {
    if (isAlias(node)) {
      this.#expand(node, (target) => this.walk(target, path, out, options, keyNode));
      return;
    }
    this.#spend(1, node);
    if (node === null || isScalar(node)) {
      out.push(this.#scalarLeaf(node, path, options, keyNode));
      return;
    }
    if (isCustomTag(node.tag)) {
      const json = this.#opaqueJson(node);
      if (json !== undefined) out.push(this.#leaf(path, json, 'opaque', node, options, displayTag(node.tag)));
      return;
    }
    if (isMap(node)) this.#enter(node, () => this.#walkMap(node, path, out, options));
    else if (isSeq(node)) this.#enter(node, () => this.#walkSeq(node, path, out, options));
  }

  /** Walks a map's entries; `skipKey` leaves one key out (the `name` of a named list item). */
  #walkMap(map: YAMLMap, path: readonly PathSegment[], out: Leaf[], options: WalkOptions, skipKey?: string): void {
    const entries = this.entries(map);
    const kept = skipKey !== undefined && entries.length > 1 ? entries.filter((e) => e.key !== skipKey) : entries;
    if (kept.length === 0) {
      out.push(this.#leaf(path, null, 'empty-map', map, options));
      return;
    }
    for (const entry of kept) this.walk(entry.value, [...path, entry.key], out, options, entry.keyNode);
  }

  #walkSeq(seq: YAMLSeq, path: readonly PathSegment[], out: Leaf[], options: WalkOptions): void {
    if (seq.items.length === 0) {
      out.push(this.#leaf(path, null, 'empty-list', seq, options));
      return;
    }
    const names = options.namedLists ? this.#itemNames(seq) : undefined;
    for (const [index, item] of seq.items.entries()) {
      const name = names?.[index];
      if (name === undefined) {
        this.walk(isNode(item) ? item : null, [...path, index], out, options);
        continue;
      }
      // A named item is a map (checked by #itemNames), possibly behind an alias.
      const itemOptions = { ...options, namedItems: [...(options.namedItems ?? []), path.length] };
      const walkItem = (itemMap: Node) => {
        this.#spend(1, itemMap);
        if (isMap(itemMap)) {
          this.#enter(itemMap, () => this.#walkMap(itemMap, [...path, name], out, itemOptions, 'name'));
        }
      };
      if (isAlias(item)) this.#expand(item, walkItem);
      else if (isNode(item)) walkItem(item);
    }
  }

  /** The unique string `name` of every item, or undefined when the list does not qualify. */
  #itemNames(seq: YAMLSeq): string[] | undefined {
    const names: string[] = [];
    for (const item of seq.items) {
      const map = this.#peek(item);
      if (!isMap(map) || isCustomTag(map.tag)) return undefined;
      const nameEntry = this.entries(map).find((entry) => entry.key === 'name');
      const name = this.#peek(nameEntry?.value);
      if (!isScalar(name) || typeof name.value !== 'string' || isCustomTag(name.tag)) return undefined;
      names.push(name.value);
    }
    return new Set(names).size === names.length ? names : undefined;
  }

  /** Follows an alias without reporting anything: for looking ahead. */
  #peek(node: unknown): Node | undefined {
    if (isAlias(node)) return this.#aliasTargets.get(node);
    return isNode(node) ? node : undefined;
  }

  #mergeSources(value: unknown): (readonly MapEntry[])[] {
    const resolved = this.#peekOrReport(value);
    if (resolved === undefined) return [];
    const sources = isSeq(resolved) ? resolved.items : [value];
    const result: (readonly MapEntry[])[] = [];
    for (const source of sources) {
      const map = this.#peekOrReport(source);
      if (map === undefined) continue;
      if (!isMap(map)) {
        this.problem(
          isNode(source) ? source : map,
          'a merge key (<<) takes a map, an alias of a map, or a list of them',
        );
        continue;
      }
      const entries = isAlias(source) ? this.#expand(source, () => this.entries(map)) : this.entries(map);
      if (entries) result.push(entries);
    }
    return result;
  }

  #peekOrReport(node: unknown): Node | undefined {
    return isAlias(node) ? this.resolve(node) : this.#peek(node);
  }

  /** Runs `fn` on an alias's target, unless the alias is unresolved or inside its own anchor. */
  #expand<R>(alias: Alias, fn: (target: Node) => R): R | undefined {
    const target = this.resolve(alias);
    if (target === undefined) return undefined;
    if (this.#walking.has(target)) {
      this.problem(alias, `alias *${alias.source} refers to a node that contains it`);
      return undefined;
    }
    return fn(target);
  }

  /** Runs `fn` with `collection` on the walked path, unless it already is (a cycle through a merge key). */
  #enter<R>(collection: Node, fn: () => R): R | undefined {
    if (this.#walking.has(collection)) {
      this.problem(collection, 'an alias or merge key (<<) makes this node contain itself');
      return undefined;
    }
    this.#walking.add(collection);
    try {
      return fn();
    } finally {
      this.#walking.delete(collection);
    }
  }

  #spend(nodes: number, at: Node | null | undefined): void {
    this.#budget -= nodes;
    if (this.#budget >= 0) return;
    throw new ParseError([
      {
        file: this.#stream.origin,
        ...this.position(at),
        message: `aliases expand to more than ${ALIAS_EXPANSION_BUDGET.toLocaleString('en')} nodes; refusing to expand further (a "billion laughs" document?)`,
      },
    ]);
  }

  #scalarLeaf(scalar: Scalar | null, path: readonly PathSegment[], options: WalkOptions, keyNode?: Node | null): Leaf {
    // An empty value (`password:`) has no text of its own: place it at its key.
    const empty = scalar === null || !scalar.range || scalar.range[0] === scalar.range[1];
    const at = empty && keyNode ? keyNode : scalar;
    if (scalar && isCustomTag(scalar.tag)) {
      return this.#leaf(
        path,
        scalar.source ?? String(scalar.value ?? ''),
        'opaque',
        at,
        options,
        displayTag(scalar.tag),
      );
    }
    const { value, type } = this.#scalarValue(scalar);
    return this.#leaf(path, value, type, at, options);
  }

  #scalarValue(scalar: Scalar | null): { value: LeafValue; type: ValueType } {
    const raw: unknown = scalar?.value ?? null;
    const source = scalar?.source ?? (scalar ? this.sourceText(scalar) : '');
    if (raw === null) return { value: null, type: 'null' };
    if (typeof raw === 'string') return { value: raw, type: 'string' };
    if (typeof raw === 'boolean') return { value: raw, type: 'boolean' };
    if (typeof raw === 'bigint') {
      const safe = raw <= BigInt(Number.MAX_SAFE_INTEGER) && raw >= BigInt(Number.MIN_SAFE_INTEGER);
      return { value: safe ? Number(raw) : source, type: 'number' };
    }
    if (typeof raw === 'number') return { value: Number.isFinite(raw) ? raw : source, type: 'number' };
    if (raw instanceof Date) {
      return Number.isNaN(raw.getTime())
        ? { value: source, type: 'string' }
        : { value: raw.toISOString(), type: 'datetime' };
    }
    if (raw instanceof Uint8Array) return { value: source.replace(/\s+/g, ''), type: 'string' };
    return { value: source, type: 'string' };
  }

  #leaf(
    path: readonly PathSegment[],
    value: LeafValue,
    type: ValueType,
    at: Node | null | undefined,
    options: WalkOptions,
    tag?: string,
  ): Leaf {
    return {
      path,
      value,
      type,
      ...this.position(at),
      ...(options.sensitive ? { sensitive: true } : {}),
      ...(tag === undefined ? {} : { tag }),
      ...(options.namedItems ? { namedItems: options.namedItems } : {}),
    };
  }

  #opaqueJson(node: Node): string | undefined {
    return JSON.stringify(this.#plain(node, false));
  }

  /** A JSON-able rendering of a node; custom tags below the top become `{"!Tag": value}`. */
  #plain(node: Node | null, tagged: boolean): unknown {
    if (isAlias(node)) return this.#expand(node, (target) => this.#plain(target, tagged)) ?? null;
    this.#spend(1, node);
    if (node === null) return null;
    const tag = node.tag;
    if (tagged && isCustomTag(tag)) return { [displayTag(tag)]: this.#plain(node, false) };
    if (isScalar(node))
      return isCustomTag(tag) ? (node.source ?? String(node.value ?? '')) : this.#scalarValue(node).value;
    if (isMap(node)) {
      return this.#enter(node, () =>
        Object.fromEntries(this.entries(node).map((entry) => [entry.key, this.#plain(entry.value, true)])),
      );
    }
    if (isSeq(node))
      return this.#enter(node, () => node.items.map((item) => this.#plain(isNode(item) ? item : null, true)));
    return null;
  }
}

/**
 * Merges the leaves of the documents of one text: a later document overrides
 * what earlier ones said at the same path, maps merging key by key. A later
 * value replaces an earlier one at the same path, everything an earlier
 * document had below it, and a whole earlier list (lists are replaced, not
 * merged by index); a later map replaces an earlier scalar at its path.
 * Works from the last document back, so that a text of many documents costs
 * one pass over its leaves.
 */
export function mergeDocumentLeaves(documents: readonly (readonly Leaf[])[]): Leaf[] {
  /** Paths whose leaves, and everything below them, a later document replaces. */
  const replaced = new Set<string>();
  /** Paths a later document has leaves below: an earlier leaf there is replaced by a map or list. */
  const below = new Set<string>();
  const kept: (readonly Leaf[])[] = [];
  for (let index = documents.length - 1; index >= 0; index--) {
    const leaves = documents[index] ?? [];
    kept.push(replaced.size === 0 ? leaves : leaves.filter((leaf) => !isOverridden(leaf.path, replaced, below)));
    if (index === 0) break;
    for (const leaf of leaves) {
      const prefixes = pathPrefixes(leaf.path);
      replaced.add(prefixes[leaf.path.length] ?? '');
      for (const [length, prefix] of prefixes.entries()) {
        if (length === leaf.path.length) break;
        below.add(prefix);
        if (typeof leaf.path[length] === 'number') replaced.add(prefix);
      }
    }
  }
  return kept.reverse().flat();
}

function isOverridden(path: readonly PathSegment[], replaced: Set<string>, below: Set<string>): boolean {
  const prefixes = pathPrefixes(path);
  if (below.has(prefixes[path.length] ?? '')) return true;
  return prefixes.some((prefix) => replaced.has(prefix));
}

/** Keys of every prefix of `path`, from the empty path to the whole (JSON arrays without brackets). */
function pathPrefixes(path: readonly PathSegment[]): string[] {
  const prefixes = [''];
  let key = '';
  for (const segment of path) {
    key = key === '' ? JSON.stringify(segment) : `${key},${JSON.stringify(segment)}`;
    prefixes.push(key);
  }
  return prefixes;
}

/**
 * Runs a parse so that it throws nothing but ParseError whatever the input:
 * the formats promise it. A stack overflow means the input nests too deeply;
 * anything else is a bug of ours, and the message says so.
 */
export function guardParse<T>(origin: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof ParseError) throw error;
    const message =
      error instanceof RangeError && /call stack/i.test(error.message)
        ? 'the document is nested too deeply to read'
        : `internal error while reading YAML (a driftwatch bug): ${error instanceof Error ? error.message : String(error)}`;
    throw new ParseError([{ file: origin, message }]);
  }
}

/** Whether a document holds nothing: no content, or a lone null (`---` with nothing after it, `~`). */
export function isEmptyDocument(node: Node | null): boolean {
  return node === null || (isScalar(node) && node.value === null && !isCustomTag(node.tag));
}

/**
 * `: key (first at line N)` for the duplicate key written at `offset` (where
 * yaml reports it): the key as text, and the line of the first key equal to it
 * in the same map.
 */
function duplicateKeyDetail(doc: Document.Parsed, text: string, lineCounter: LineCounter, offset: number): string {
  let found = '';
  let firstOffset: number | undefined;
  visit(doc, {
    Map: (_key, map) => {
      const duplicate = map.items.find((pair) => isNode(pair.key) && pair.key.range?.[0] === offset);
      if (duplicate === undefined || !isNode(duplicate.key)) return undefined;
      const { key } = duplicate;
      found = keyText(key, text);
      const first = map.items.find((pair) => isNode(pair.key) && keyText(pair.key, text) === found);
      if (first !== duplicate && isNode(first?.key)) firstOffset = first.key.range?.[0];
      return visit.BREAK;
    },
  });
  const line = firstOffset === undefined ? '' : ` (first at line ${lineCounter.linePos(firstOffset).line})`;
  return `: ${shorten(found)}${line}`;
}

/** A map key as text: a string key's value, anything else as written. */
function keyText(key: Node, text: string): string {
  if (isScalar(key) && typeof key.value === 'string') return key.value;
  return key.range ? text.slice(key.range[0], key.range[1]) : '';
}

function isMergeKey(key: unknown): boolean {
  return isScalar(key) && typeof key.value === 'symbol';
}

function isCustomTag(tag: string | undefined): tag is string {
  return tag !== undefined && tag !== '!' && !SCHEMA_TAGS.has(tag);
}

function displayTag(tag: string): string {
  return tag.startsWith(YAML_ORG) ? `!!${tag.slice(YAML_ORG.length)}` : tag;
}

function isNode(value: unknown): value is Node {
  return isAlias(value) || isScalar(value) || isMap(value) || isSeq(value);
}

function firstLine(message: string): string {
  return message.split('\n', 1)[0]?.trim() ?? message;
}

function shorten(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 60 ? `${oneLine.slice(0, 57)}...` : oneLine;
}

function uniqueProblems(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.line}:${problem.column}:${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
