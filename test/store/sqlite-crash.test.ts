import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, SQLITE_STORE_PATH } from '../../src/store/open-store.js';
import { openSqliteDatabase } from '../../src/store/sqlite-driver.js';

const BASE_KEY_COUNT = 200_000;

describe('store on sqlite: a writer killed mid-save', () => {
  let configDir: string | undefined;
  let child: ChildProcess | undefined;
  afterEach(() => {
    // The child saves forever: never leave it running, whatever failed.
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (configDir) rmSync(configDir, { recursive: true, force: true });
  });

  it('leaves an intact file whose latest snapshot is the last complete one', async () => {
    configDir = mkdtempSync(path.join(tmpdir(), 'driftwatch-crash-'));
    const writer = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(import.meta.dirname, 'fixtures', 'save-until-killed.ts'),
        configDir,
        String(BASE_KEY_COUNT),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = writer;
    let stderr = '';
    writer.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      writer.on('exit', (_code, signal) => resolve(signal)),
    );

    // Each save rewrites every key, and the second has twice the work of the first (end every version, start
    // new ones): let the first finish, then kill the second a little before the first one's duration.
    const lines: string[] = [];
    let firstSaveMs: number | undefined;
    for await (const line of createInterface({ input: writer.stdout })) {
      lines.push(line);
      const [event, generation, , ms] = line.split(' ');
      if (event === 'saved' && generation === '0') firstSaveMs = Number(ms);
      if (event === 'writing' && generation === '1' && firstSaveMs !== undefined) {
        setTimeout(() => writer.kill('SIGKILL'), firstSaveMs * 0.8);
        break;
      }
    }
    expect(await exited, stderr).toBe('SIGKILL');
    expect(lines).toEqual(['writing 0 200000', expect.stringMatching(/^saved 0 200000 \d+$/), 'writing 1 200001']);

    const raw = openSqliteDatabase(path.join(configDir, SQLITE_STORE_PATH));
    try {
      expect(raw.prepare('pragma integrity_check').all()).toEqual([{ integrity_check: 'ok' }]);
      expect(raw.prepare('pragma foreign_key_check').all()).toEqual([]);
    } finally {
      raw.close();
    }

    const store = await openStore({ configDir });
    try {
      const latest = await store.latestSnapshot('big');
      // Generation 0 was saved; generation 1 is there only if the kill fell between its commit and its report.
      const generation = (latest?.keyCount ?? 0) - BASE_KEY_COUNT;
      expect([0, 1]).toContain(generation);
      expect(latest?.entries.size).toBe(latest?.keyCount);
      const fromOtherGenerations = [...(latest?.entries.values() ?? [])].filter(
        (entry) => !entry.fingerprint.startsWith(`g${generation}-`),
      );
      expect(fromOtherGenerations).toEqual([]);
      // And the store still takes writes.
      const next = await store.saveSnapshot({
        env: 'small',
        takenAt: '2030-01-01T00:00:00.000Z',
        entries: new Map(),
        sources: [],
      });
      expect(next.stored).toBe(true);
    } finally {
      await store.close();
    }
  }, 180_000);
});
