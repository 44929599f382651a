import { describe, expect, it } from 'vitest';
import { type OpenVersion, planVersionChanges } from '../../src/store/plan-version-changes.js';
import { entry } from './fixtures/synthetic.js';

function open(id: number, key: string, fingerprint: string, overrides: Partial<OpenVersion> = {}): OpenVersion {
  return {
    id,
    key,
    fingerprint,
    type: 'string',
    sensitive: 0,
    sensitive_reason: null,
    tag: null,
    origin_source: 'config/*.yaml',
    origin_file: 'config/app.yaml',
    origin_line: 1,
    origin_column: 1,
    ...overrides,
  };
}

describe('store/planVersionChanges', () => {
  it('ends changed and vanished keys, starts changed and new ones, leaves the rest alone', () => {
    const versions = [open(1, 'same', 'a'), open(2, 'changed', 'a'), open(3, 'gone', 'a'), open(4, 'moved', 'a')];
    const entries = [
      entry('same', 'a'),
      entry('changed', 'b'),
      entry('moved', 'a', { origin: { source: 'config/*.yaml', file: 'config/app.yaml', line: 2, column: 1 } }),
      entry('new', 'a'),
    ];
    const { ended, started } = planVersionChanges(versions, entries);
    expect(ended.sort()).toEqual([2, 3, 4]);
    expect(started.map((item) => item.key)).toEqual(['changed', 'moved', 'new']);
  });

  it('treats a change of sensitivity, its reason or the tag as a new version', () => {
    const versions = [
      open(1, 'a', 'f'),
      open(2, 'b', 'f', { sensitive: true, sensitive_reason: 'key-name' }),
      open(3, 'c', 'f'),
    ];
    const entries = [
      entry('a', 'f', { sensitive: true, value: undefined }),
      entry('b', 'f', { sensitive: true, sensitiveReason: 'value-shape', value: undefined }),
      entry('c', 'f', { tag: '!vault' }),
    ];
    expect(planVersionChanges(versions, entries).ended.sort()).toEqual([1, 2, 3]);
  });

  it('changes nothing for an identical snapshot', () => {
    expect(planVersionChanges([open(1, 'a', 'f')], [entry('a', 'f')])).toEqual({ ended: [], started: [] });
  });
});
