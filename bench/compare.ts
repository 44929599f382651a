/**
 * Compare + rules over 3 generated environments of 100,000 keys each (nested,
 * depth 4, 1% drift, 12 rules), as a ratio to a bare key-alignment loop over
 * the same data; and two-environment diffs (one wide level of 100,000 keys,
 * and the nested shape), each as a ratio to the same bare loop. The diff
 * aligns sorted snapshots like the rules do; deep-diff alone, quadratic on a
 * wide level, is measured beside it at sizes it can finish.
 */
import { createHash } from 'node:crypto';
import deepDiff from 'deep-diff';
import { diffSnapshots } from '../src/compare/diff.js';
import { alignSnapshots } from '../src/compare/matrix.js';
import type { Problem } from '../src/errors.js';
import { runRules } from '../src/rules/engine.js';
import { parsePack } from '../src/rules/load-packs.js';
import type { Entry, Snapshot } from '../src/snapshot/snapshot.js';
import { type BenchLine, medianMs, peakRssMiB } from './bench.js';

const ENVS = ['development', 'staging', 'production'];

function entry(key: string, value: string, sensitive = false): Entry {
  return {
    key,
    type: 'string',
    ...(sensitive ? {} : { value }),
    fingerprint: createHash('sha256').update(value).digest('hex'),
    sensitive,
    origin: { source: 'bench', sourceKind: 'path', file: 'bench.yaml', line: 1 },
  };
}

/** Keys like `svc12.group3.section4.setting5`: depth 4, 100,000 per environment; 1% differ or are missing. */
export function nestedEnvironments(size: number): Snapshot[] {
  return ENVS.map((env, envIndex) => {
    const entries = new Map<string, Entry>();
    for (let i = 0; i < size; i++) {
      const key = `svc${i % 97}.group${i % 13}.section${Math.floor(i / 1300)}.setting${i}`;
      const drifted = i % 100 === envIndex;
      if (drifted && envIndex === 2 && i % 200 === 2) continue; // missing in production
      const secret = i % 50 === 0;
      entries.set(key, entry(key, drifted ? `${env}-${i}` : `value-${i}`, secret));
    }
    const sorted = new Map([...entries].sort(([a], [b]) => (a < b ? -1 : 1)));
    return { env, takenAt: '2026-11-25T00:00:00Z', entries: sorted, sources: [] };
  });
}

const TWELVE_RULES = `rules:
  - {id: parity, kind: parity}
  - {id: shared-secrets, kind: differ, only: secrets}
  - {id: plaintext, kind: plaintext}
  - {id: same-svc1, kind: equal, keys: ["svc1.**"]}
  - {id: same-group2, kind: equal, keys: ["*.group2.**"]}
  - {id: no-legacy, kind: forbid, keys: ["legacy.**", "*.group99.*"]}
  - {id: need-setting, kind: require, keys: [svc1.group1.section0.setting1]}
  - {id: tz, kind: match, keys: ["svc0.group0.section0.*"], pattern: "^value-"}
  - {id: urls, kind: match, keys: ["**.url"], type: url}
  - {id: same-svc50, kind: equal, keys: ["svc50.**"], normalize: env-names}
  - {id: secrets-differ, kind: differ, keys: ["svc3.**"]}
  - {id: hosts, kind: allow, keys: ["svc2.**"], reason: by design}`;

export function loadRules() {
  const problems: Problem[] = [];
  const rules = parsePack(TWELVE_RULES, 'bench.yaml', { environments: ENVS }, problems);
  if (problems.length > 0 || rules.length !== 12) throw new Error(`bench pack: ${JSON.stringify(problems)}`);
  return rules;
}

/** The baseline: align keys across environments with a Map and compare fingerprints, nothing else. */
function bareAlignment(snapshots: readonly Snapshot[]): number {
  const rows = new Map<string, (Entry | undefined)[]>();
  for (const [index, snapshot] of snapshots.entries()) {
    for (const [key, value] of snapshot.entries) {
      let row = rows.get(key);
      if (!row) {
        row = new Array(snapshots.length).fill(undefined);
        rows.set(key, row);
      }
      row[index] = value;
    }
  }
  let differing = 0;
  for (const row of rows.values()) {
    const first = row[0]?.fingerprint;
    if (row.some((cell) => cell?.fingerprint !== first)) differing++;
  }
  return differing;
}

function wideSnapshots(size: number): [Snapshot, Snapshot] {
  const make = (env: string, drift: number) => {
    const entries = new Map<string, Entry>();
    for (let i = 0; i < size; i++) {
      if (drift === 1 && i % 100 === 0) continue;
      const key = `KEY_${String(i).padStart(6, '0')}`;
      entries.set(key, entry(key, i % 100 === 1 && drift === 1 ? 'changed' : `v${i}`));
    }
    return { env, takenAt: '', entries, sources: [] } satisfies Snapshot;
  };
  return [make('a', 0), make('b', 1)];
}

function plainObject(snapshot: Snapshot): Record<string, string> {
  const object: Record<string, string> = {};
  for (const [key, value] of snapshot.entries) object[key] = value.fingerprint;
  return object;
}

export async function bench(): Promise<BenchLine[]> {
  const lines: BenchLine[] = [];
  const snapshots = nestedEnvironments(100_000);
  const rules = loadRules();
  let findings = 0;
  const ours = await medianMs(() => {
    findings = runRules(rules, alignSnapshots(snapshots), { now: new Date('2026-11-25') }).findings.length;
  }, 5);
  const bare = await medianMs(() => bareAlignment(snapshots), 5);
  lines.push(
    { name: `compare + 12 rules, 3 envs x 100,000 keys (${findings} findings)`, value: ours, unit: 'ms' },
    { name: 'bare key-alignment loop, same data', value: bare, unit: 'ms' },
    {
      name: 'compare + rules / bare alignment',
      value: ours / bare,
      unit: 'x',
      note: 'target <= 2',
      ok: ours / bare <= 2,
    },
  );

  const [wideA, wideB] = wideSnapshots(100_000);
  let drifts = 0;
  const wideOurs = await medianMs(() => {
    drifts = diffSnapshots(wideA, wideB).length;
  }, 3);
  const wideBare = await medianMs(() => bareAlignment([wideA, wideB]), 3);
  lines.push(
    { name: `diff of one level of 100,000 keys (${drifts} drifts)`, value: wideOurs, unit: 'ms' },
    { name: 'bare key-alignment loop, same data', value: wideBare, unit: 'ms' },
    {
      name: 'wide diff / bare alignment',
      value: wideOurs / wideBare,
      unit: 'x',
      note: 'target <= 2',
      ok: wideOurs / wideBare <= 2,
    },
  );

  const [nestedA, nestedB] = snapshots as [Snapshot, Snapshot];
  let nestedDrifts = 0;
  const nestedOurs = await medianMs(() => {
    nestedDrifts = diffSnapshots(nestedA, nestedB).length;
  }, 3);
  const nestedBare = await medianMs(() => bareAlignment([nestedA, nestedB]), 3);
  lines.push(
    { name: `diff of 2 nested envs x 100,000 keys (${nestedDrifts} drifts)`, value: nestedOurs, unit: 'ms' },
    { name: 'bare key-alignment loop, same data', value: nestedBare, unit: 'ms' },
    {
      name: 'nested diff / bare alignment',
      value: nestedOurs / nestedBare,
      unit: 'x',
      note: 'target <= 2',
      ok: nestedOurs / nestedBare <= 2,
    },
  );

  // deep-diff alone on the same shape, at sizes it can finish: each doubling should cost about 4x.
  for (const size of [10_000, 20_000]) {
    const [a, b] = wideSnapshots(size).map(plainObject) as [Record<string, string>, Record<string, string>];
    const alone = await medianMs(() => deepDiff.diff(a, b), 1);
    const [oursA, oursB] = wideSnapshots(size);
    const ourTime = await medianMs(() => diffSnapshots(oursA, oursB), 3);
    lines.push(
      { name: `deep-diff alone, one level of ${size.toLocaleString('en')} keys`, value: alone, unit: 'ms' },
      { name: `driftwatch diff, one level of ${size.toLocaleString('en')} keys`, value: ourTime, unit: 'ms' },
    );
  }
  lines.push({ name: 'peak RSS after compare benchmarks', value: peakRssMiB(), unit: 'MiB' });
  return lines;
}
