import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LeafValue, ValueType } from '../../src/formats/format.js';
import { fingerprintValue } from '../../src/snapshot/fingerprint.js';
import { sameValue } from '../../src/snapshot/same-value.js';
import { SnapshotEntry } from '../../src/snapshot/snapshot-entry.js';
import { TEST_FINGERPRINT_KEY } from '../helpers/fingerprint-key.js';

const KEY = Buffer.from(TEST_FINGERPRINT_KEY, 'hex');
const AT = {
  document: { source: 'app.env', sourceKind: 'path' as const, file: 'app.env', tracked: false },
  line: 3,
  column: 5,
};

function plainEntry(type: ValueType, value: LeafValue, tag?: string): SnapshotEntry {
  return new SnapshotEntry({ key: 'A', type, value, sensitive: false, sensitiveReason: undefined, tag }, AT, KEY);
}

const leafValue = fc.oneof(
  fc.constantFrom<LeafValue>(null, true, false, 0, -0, 1, '1', '', 'a', Number.NaN, Number.POSITIVE_INFINITY),
  fc.double(),
  fc.string({ maxLength: 3 }),
);
const leaf = fc.record({
  type: fc.constantFrom<ValueType>('string', 'number', 'null', 'opaque'),
  value: leafValue,
  tag: fc.constantFrom(undefined, '!vault', '!ref'),
});

describe('snapshot/same-value', () => {
  it('says two plain entries hold the same value exactly when their fingerprints are equal', () => {
    fc.assert(
      fc.property(leaf, leaf, (a, b) => {
        const expected =
          fingerprintValue(KEY, a.type, a.value, a.tag) === fingerprintValue(KEY, b.type, b.value, b.tag);
        expect(sameValue(plainEntry(a.type, a.value, a.tag), plainEntry(b.type, b.value, b.tag))).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('compares a secret by its fingerprint, which was taken when the entry was built', () => {
    const secret = (fingerprint: string) =>
      new SnapshotEntry(
        { key: 'A', type: 'string', sensitive: true, sensitiveReason: 'key-name' },
        AT,
        KEY,
        fingerprint,
      );
    const plain = plainEntry('string', 'hunter2');
    expect(sameValue(secret(plain.fingerprint), plain)).toBe(true);
    expect(sameValue(secret(fingerprintValue(KEY, 'string', 'other')), plain)).toBe(false);
    expect(secret('f1')).not.toHaveProperty('value');
  });
});

describe('snapshot/snapshot-entry', () => {
  it('computes a plain value’s fingerprint and origin when read, as they would have been built', () => {
    const entry = plainEntry('string', 'svc.internal');
    expect(entry.fingerprint).toBe(fingerprintValue(KEY, 'string', 'svc.internal'));
    expect(entry.origin).toEqual({ source: 'app.env', sourceKind: 'path', file: 'app.env', line: 3, column: 5 });
    expect(entry.origin).toBe(entry.origin);
    expect(JSON.parse(JSON.stringify(entry))).toEqual({
      key: 'A',
      type: 'string',
      value: 'svc.internal',
      fingerprint: entry.fingerprint,
      sensitive: false,
      origin: entry.origin,
    });
  });
});
