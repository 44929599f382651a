import { describe, expect, it } from 'vitest';
import { checkShrink } from '../../src/store/shrink-guard.js';

describe('store/checkShrink', () => {
  it('accepts a first snapshot with keys, growth, and losing up to half', () => {
    expect(checkShrink(undefined, 412)).toEqual({ ok: true });
    expect(checkShrink(412, 500)).toEqual({ ok: true });
    expect(checkShrink(412, 206)).toEqual({ ok: true });
    expect(checkShrink(1, 1)).toEqual({ ok: true });
  });

  it('rejects losing more than half of the keys, saying by how much', () => {
    expect(checkShrink(412, 3, 'production')).toEqual({
      ok: false,
      reason:
        'production has 3 keys, down from 412 at its last snapshot (-99%); pass --accept-shrink if this is intended',
    });
    expect(checkShrink(412, 205, 'staging')).toMatchObject({ ok: false, reason: expect.stringContaining('(-50%)') });
    expect(checkShrink(2, 0)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^the environment has 0 keys, down from 2 at its last snapshot \(-100%\)/),
    });
    expect(checkShrink(3, 1)).toMatchObject({ ok: false, reason: expect.stringContaining('has 1 key,') });
  });

  it('rejects an empty environment even the first time, and again when it stays empty', () => {
    for (const previous of [undefined, 0]) {
      const check = checkShrink(previous, 0, 'production');
      expect(check.ok).toBe(false);
      if (!check.ok) {
        expect(check.reason).toMatch(/^production has no keys/);
        expect(check.reason).toMatch(/--accept-shrink/);
      }
    }
  });
});
