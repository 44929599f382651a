import * as z from 'zod';
import { differingRange, isReordered, orderDifference } from '../compare/list-order.js';
import type { KeyMatrix, ListRow } from '../compare/matrix.js';
import type { FindingLocation } from '../report/report.js';
import { formatKeyPath } from '../snapshot/key-path.js';
import { sameValue } from '../snapshot/same-value.js';
import type { Entry } from '../snapshot/snapshot.js';
import { withoutEnvName } from './normalize.js';
import {
  cellsOf,
  commonRuleFields,
  listOf,
  present,
  type RuleBase,
  type RuleContext,
  type RuleKindModule,
  type Verdict,
} from './rule.js';

export const EqualRule = z.strictObject({
  ...commonRuleFields,
  kind: z.literal('equal'),
  normalize: z.literal('env-names').optional(),
});
export type EqualRule = z.infer<typeof EqualRule> & RuleBase;

/** What "the same value" means for an entry. Secrets compare by fingerprint only: their values are never at hand. */
function comparable(entry: Entry, env: string, rule: EqualRule): string {
  if (entry.sensitive || rule.normalize !== 'env-names' || typeof entry.value !== 'string') {
    return `${entry.type}\u0000${entry.fingerprint}`;
  }
  return `${entry.type}\u0000${withoutEnvName(entry.value, env)}`;
}

function allSame(holders: readonly { env: string; entry: Entry }[], rule: EqualRule): boolean {
  const [first, ...rest] = holders as [{ env: string; entry: Entry }, ...{ env: string; entry: Entry }[]];
  if (rule.normalize !== 'env-names') {
    // The common case, without building strings.
    return rest.every((cell) => sameValue(cell.entry, first.entry));
  }
  const expected = comparable(first.entry, first.env, rule);
  return rest.every((cell) => comparable(cell.entry, cell.env, rule) === expected);
}

/** Whether the environments that hold the key all hold the same value. */
function holdsOneValue(entries: readonly (Entry | undefined)[], envIndexes: readonly number[]): boolean {
  let first: Entry | undefined;
  for (const index of envIndexes) {
    const entry = entries[index];
    if (entry === undefined) continue;
    if (first === undefined) first = entry;
    else if (!sameValue(entry, first)) return false;
  }
  return true;
}

/**
 * Where a key exists in several environments, it holds the same value in all
 * of them; and a list keyed by name (initContainers, middleware) holds its
 * items in the same order, because that order is what runs.
 */
export const equal: RuleKindModule<EqualRule> = {
  kind: 'equal',
  defaultSeverity: 'error',
  schema: EqualRule,
  describe: (rule) =>
    `Keys matching ${rule.keys.join(', ')} hold the same value in every environment` +
    (rule.normalize ? ', environment names aside.' : '.'),
  check(rule, context) {
    const verdicts: Verdict[] = [];
    const plain = rule.normalize !== 'env-names';
    for (const row of context.rows) {
      // Most keys hold one value everywhere: check before allocating anything.
      if (plain && holdsOneValue(row.entries, context.envIndexes)) continue;
      const holders = present(cellsOf(row, context));
      if (holders.length < 2) continue;
      if (allSame(holders, rule)) continue;
      verdicts.push({
        key: row.key,
        envs: holders.map((cell) => cell.env),
        message: rule.message ?? `${row.key} differs across ${listOf(holders.map((cell) => cell.env))}`,
        entries: holders,
      });
    }
    for (const list of context.lists ?? []) {
      const verdict = reorderedVerdict(list, context, rule);
      if (verdict) verdicts.push(verdict);
    }
    return verdicts;
  },
};

/** A list whose shared items are in another order somewhere: located at the first moved item in each environment. */
function reorderedVerdict(list: ListRow, context: RuleContext, rule: EqualRule): Verdict | undefined {
  const holders = context.envIndexes.flatMap((index) => {
    const order = list.orders[index];
    return order ? [{ env: context.matrix.envs[index] as string, index, order }] : [];
  });
  if (holders.length < 2 || !isReordered(holders.map((holder) => holder.order))) return undefined;
  const orders = holders.map((holder) => holder.order);
  const { shared, start } = differingRange(orders);
  const locations: FindingLocation[] = [];
  for (const [position, holder] of holders.entries()) {
    const moved = shared[position]?.[start];
    const entry = moved === undefined ? undefined : firstEntryOf(context.matrix, list, moved, holder.index);
    if (!entry) continue;
    locations.push({
      env: holder.env,
      file: entry.origin.file,
      ...(entry.origin.line !== undefined ? { line: entry.origin.line } : {}),
    });
  }
  const shown = orderDifference(orders);
  const described = holders.map((holder, position) => `${holder.env}: ${shown[position]}`).join('; ');
  return {
    key: list.key,
    envs: holders.map((holder) => holder.env),
    message: rule.message ?? `${list.key} lists its items in another order (${described})`,
    entries: [],
    locations,
  };
}

/** The entry written first (lowest line) of one item of a named list in one environment. */
function firstEntryOf(matrix: KeyMatrix, list: ListRow, name: string, envIndex: number): Entry | undefined {
  const item = formatKeyPath([...list.segments, name]);
  let first: Entry | undefined;
  for (const row of matrix.withPrefix(item)) {
    if (row.key !== item && !row.key.startsWith(`${item}.`) && !row.key.startsWith(`${item}[`)) continue;
    const entry = row.entries[envIndex];
    if (entry && (first === undefined || (entry.origin.line ?? 0) < (first.origin.line ?? 0))) first = entry;
  }
  return first;
}
