import type { LeafValue, ValueType } from '../formats/format.js';
import type { SourceKind } from '../sources/source.js';
import { fingerprintValue } from './fingerprint.js';
import type { Entry, Origin, SensitiveReason } from './snapshot.js';

/** The document a key was written in: an origin without its line and column. */
export interface DocumentOrigin {
  readonly source: string;
  readonly sourceKind: SourceKind;
  readonly file: string;
  readonly tracked: boolean;
}

/** Where in a document: 1-based; line 0 for sources without lines (`env`). */
export interface WrittenAt {
  readonly document: DocumentOrigin;
  readonly line: number;
  readonly column: number;
}

/** What an entry is made of, the fingerprint aside. */
export interface EntryFields {
  readonly key: string;
  readonly type: ValueType;
  readonly value?: LeafValue | undefined;
  readonly sensitive: boolean;
  readonly sensitiveReason?: SensitiveReason | undefined;
  readonly tag?: string | undefined;
}

/** The origin of a key written at `at`, in the shape every origin has. */
export function originOf(at: WrittenAt): Origin {
  const { source, sourceKind, file, tracked } = at.document;
  const { line, column } = at;
  if (tracked) {
    return line > 0 ? { source, sourceKind, file, line, column, tracked } : { source, sourceKind, file, tracked };
  }
  return line > 0 ? { source, sourceKind, file, line, column } : { source, sourceKind, file };
}

/** What a secret's entry holds in place of `value` until its fingerprint is read; nothing else sees it. */
const NOT_HELD: unique symbol = Symbol('no value held');

/**
 * An entry as a snapshot builds it. Its fingerprint waits until something
 * reads it (the history, `snapshot --format json`, a finding about a secret):
 * a check compares values directly (see sameValue), and an HMAC per key was
 * most of what a large snapshot cost. A secret's value is never a field: the
 * entry holds it privately only until its fingerprint is taken, then drops
 * it; JSON, spreading and inspection see the fingerprint alone. Its origin,
 * too, is made when read: most entries are never located.
 */
export class SnapshotEntry implements Entry {
  readonly key: string;
  readonly type: ValueType;
  readonly sensitive: boolean;
  // Absent rather than undefined, as in any entry: a secret's entry has no `value` at all.
  declare readonly value?: LeafValue;
  declare readonly sensitiveReason?: SensitiveReason;
  declare readonly tag?: string;
  #fingerprint: string | undefined;
  #secret: LeafValue | typeof NOT_HELD;
  readonly #fingerprintKey: Buffer;
  // Where it was written, as parts: an origin object per key is made only for the few that are located.
  readonly #document: DocumentOrigin;
  readonly #line: number;
  readonly #column: number;
  #origin: Origin | undefined;

  /** `secret`: a sensitive entry's full value, held until its fingerprint is read. */
  constructor(
    fields: EntryFields,
    at: WrittenAt,
    fingerprintKey: Buffer,
    secret: LeafValue | typeof NOT_HELD = NOT_HELD,
  ) {
    this.key = fields.key;
    this.type = fields.type;
    this.sensitive = fields.sensitive;
    this.#document = at.document;
    this.#line = at.line;
    this.#column = at.column;
    const self = this as { -readonly [Field in keyof EntryFields]?: EntryFields[Field] };
    if (fields.value !== undefined) self.value = fields.value;
    if (fields.sensitiveReason !== undefined) self.sensitiveReason = fields.sensitiveReason;
    if (fields.tag !== undefined) self.tag = fields.tag;
    this.#fingerprintKey = fingerprintKey;
    this.#secret = fields.sensitive ? secret : NOT_HELD;
  }

  get origin(): Origin {
    this.#origin ??= originOf({ document: this.#document, line: this.#line, column: this.#column });
    return this.#origin;
  }

  get fingerprint(): string {
    if (this.#fingerprint === undefined) {
      const value = this.#secret === NOT_HELD ? (this.value ?? null) : this.#secret;
      this.#fingerprint = fingerprintValue(this.#fingerprintKey, this.type, value, this.tag);
      this.#secret = NOT_HELD;
    }
    return this.#fingerprint;
  }

  /** The same key and value written elsewhere (another environment's file). */
  writtenAt(at: WrittenAt): SnapshotEntry {
    const entry = new SnapshotEntry(this, at, this.#fingerprintKey, this.#secret);
    entry.#fingerprint = this.#fingerprint;
    return entry;
  }

  /**
   * Whether two entries' full values are equal, for two secrets whose values
   * are both still held; undefined otherwise (their fingerprints decide).
   * Plain values compare as their fingerprints do (see sameValue).
   */
  static sameHeldSecret(a: Entry, b: Entry): boolean | undefined {
    if (!(a instanceof SnapshotEntry) || !(b instanceof SnapshotEntry)) return undefined;
    if (a.#secret === NOT_HELD || b.#secret === NOT_HELD) return undefined;
    return a.type === b.type && (a.tag ?? '') === (b.tag ?? '') && sameJsonText(a.#secret, b.#secret);
  }

  /** What JSON.stringify and the test runner's equality see: the plain data, fingerprint included. */
  toJSON(): Entry {
    return {
      key: this.key,
      type: this.type,
      ...(this.value === undefined ? {} : { value: this.value }),
      fingerprint: this.fingerprint,
      sensitive: this.sensitive,
      ...(this.sensitiveReason === undefined ? {} : { sensitiveReason: this.sensitiveReason }),
      ...(this.tag === undefined ? {} : { tag: this.tag }),
      origin: this.origin,
    };
  }
}

/** Whether two leaf values have one JSON text, as their fingerprints hash them, without making the texts for strings. */
export function sameJsonText(a: LeafValue, b: LeafValue): boolean {
  if (a === b) return true;
  // Two different strings never share a JSON text; numbers may (`NaN`, `Infinity` and `null` are all `null`).
  return typeof a !== 'string' && typeof b !== 'string' && JSON.stringify(a) === JSON.stringify(b);
}
