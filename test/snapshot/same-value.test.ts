import { inspect } from 'node:util';
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

function secretEntry(type: ValueType, value: LeafValue, tag?: string): SnapshotEntry {
  const fields = { key: 'A', type, sensitive: true, sensitiveReason: 'key-name' as const, tag };
  return new SnapshotEntry(fields, AT, KEY, value);
}

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

  it('compares two secrets by their held values exactly as their fingerprints would, before any is taken', () => {
    fc.assert(
      fc.property(leaf, leaf, fc.boolean(), (a, b, readFirst) => {
        const expected =
          fingerprintValue(KEY, a.type, a.value, a.tag) === fingerprintValue(KEY, b.type, b.value, b.tag);
        const left = secretEntry(a.type, a.value, a.tag);
        const right = secretEntry(b.type, b.value, b.tag);
        // Once one fingerprint is taken its value is gone, and the fingerprints decide.
        if (readFirst) expect(left.fingerprint).toBe(fingerprintValue(KEY, a.type, a.value, a.tag));
        expect(SnapshotEntry.sameHeldSecret(left, right)).toBe(readFirst ? undefined : expected);
        expect(sameValue(left, right)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('compares a secret with a plain value, or one read back from the history, by fingerprint', () => {
    const plain = plainEntry('string', 'hunter2');
    expect(sameValue(secretEntry('string', 'hunter2'), plain)).toBe(true);
    expect(sameValue(secretEntry('string', 'other'), plain)).toBe(false);
    const stored = { ...plain.toJSON(), sensitive: true, value: undefined };
    expect(sameValue(secretEntry('string', 'hunter2'), stored)).toBe(true);
    expect(sameValue(stored, secretEntry('string', 'other'))).toBe(false);
  });

  it('never shows the value a secret holds: not to JSON, spreading, cloning or inspection', () => {
    const canary = 'CANARY-held-7f3a';
    const entry = secretEntry('string', canary);
    const elsewhere = entry.writtenAt({ ...AT, line: 9 });
    for (const seen of [entry, elsewhere]) {
      expect(seen).not.toHaveProperty('value');
      expect(JSON.stringify(seen)).not.toContain(canary);
      expect(JSON.stringify({ ...seen })).not.toContain(canary);
      expect(JSON.stringify(structuredClone({ ...seen }))).not.toContain(canary);
      expect(inspect(seen, { showHidden: true, depth: 5 })).not.toContain(canary);
    }
    expect(sameValue(entry, elsewhere)).toBe(true);
    expect(elsewhere.fingerprint).toBe(fingerprintValue(KEY, 'string', canary));
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
