import type { LeafValue, ValueType } from '../formats/format.js';
import { fingerprintValue } from './fingerprint.js';
import type { Entry, Origin, SensitiveReason } from './snapshot.js';

/** What an entry is made of, the fingerprint aside. */
export interface EntryFields {
  readonly key: string;
  readonly type: ValueType;
  readonly value: LeafValue | undefined;
  readonly sensitive: boolean;
  readonly sensitiveReason: SensitiveReason | undefined;
  readonly tag: string | undefined;
  readonly origin: Origin;
}

/**
 * An entry as a snapshot builds it. A secret's fingerprint is computed at
 * once, from the value that is then dropped; any other value is kept, so its
 * fingerprint waits until something reads it (the history, `snapshot
 * --format json`): a check compares plain values directly (see sameValue), and
 * an HMAC per key was most of what a large snapshot cost.
 */
export class SnapshotEntry implements Entry {
  readonly key: string;
  readonly type: ValueType;
  readonly sensitive: boolean;
  readonly origin: Origin;
  // Absent rather than undefined, as in any entry: a secret's entry has no `value` at all.
  declare readonly value?: LeafValue;
  declare readonly sensitiveReason?: SensitiveReason;
  declare readonly tag?: string;
  #fingerprint: string | undefined;
  readonly #fingerprintKey: Buffer;

  constructor(fields: EntryFields, fingerprintKey: Buffer, fingerprint?: string) {
    this.key = fields.key;
    this.type = fields.type;
    this.sensitive = fields.sensitive;
    this.origin = fields.origin;
    const self = this as { -readonly [Field in keyof EntryFields]?: EntryFields[Field] };
    if (fields.value !== undefined) self.value = fields.value;
    if (fields.sensitiveReason !== undefined) self.sensitiveReason = fields.sensitiveReason;
    if (fields.tag !== undefined) self.tag = fields.tag;
    this.#fingerprintKey = fingerprintKey;
    this.#fingerprint = fingerprint;
  }

  get fingerprint(): string {
    this.#fingerprint ??= fingerprintValue(this.#fingerprintKey, this.type, this.value ?? null, this.tag);
    return this.#fingerprint;
  }

  /** The same key and value written elsewhere (another environment's file): only the origin differs. */
  withOrigin(origin: Origin): SnapshotEntry {
    const { key, type, value, sensitive, sensitiveReason, tag } = this;
    return new SnapshotEntry(
      { key, type, value, sensitive, sensitiveReason, tag, origin },
      this.#fingerprintKey,
      this.#fingerprint,
    );
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
