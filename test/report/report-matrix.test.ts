import { describe, expect, it } from 'vitest';
import { reportMatrix } from '../../src/report/report-matrix.js';
import { snapshotOf } from '../helpers/snapshots.js';

describe('report/report-matrix', () => {
  it('aligns every key across the environments, as it may be shown, with a variant per distinct value', () => {
    const staging = snapshotOf('staging', { a: 'x', b: 1, secret: { secret: 's1' }, only: 'here' });
    const production = snapshotOf('production', { a: 'x', b: '1', secret: { secret: 's2' } });
    const sandbox = snapshotOf('sandbox', { a: 'y', b: 1, secret: { secret: 's1' } });
    const matrix = reportMatrix([staging, production, sandbox]);
    expect(matrix.map((row) => row.key)).toEqual(['a', 'b', 'only', 'secret']);
    const [a, b, only, secret] = matrix;
    expect(a?.cells.map((cell) => [cell?.value, cell?.variant])).toEqual([
      ['x', 0],
      ['x', 0],
      ['y', 1],
    ]);
    // 1 and "1" print alike and differ in type.
    expect(b?.cells.map((cell) => [cell?.value, cell?.variant])).toEqual([
      ['1', 0],
      ['1', 1],
      ['1', 0],
    ]);
    // Absent cells are undefined, not holes: every reporter's map and join sees them.
    expect(only?.cells).toStrictEqual([
      { value: 'here', sensitive: false, variant: 0, file: 'staging.yaml', line: 3 },
      undefined,
      undefined,
    ]);
    expect(Object.keys(only?.cells ?? [])).toEqual(['0', '1', '2']);
    expect(secret?.cells.map((cell) => [cell?.sensitive, cell?.variant])).toEqual([
      [true, 0],
      [true, 1],
      [true, 0],
    ]);
    for (const cell of secret?.cells ?? []) expect(cell?.value).toMatch(/^fp:[0-9a-f]{8}$/);
  });

  it('is empty for no environments', () => {
    expect(reportMatrix([])).toEqual([]);
  });
});
