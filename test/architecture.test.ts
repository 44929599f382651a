import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The core knows no channel: the check pipeline is called by the CLI, the PR
 * bot, the scheduler and the dashboard alike, and imports none of them; no
 * channel imports another. Checked on the import statements of src/.
 */
const SRC = path.resolve(import.meta.dirname, '../src');

/**
 * Folders that deliver results to an audience, or run the service around them.
 * The dashboard is part of the service (src/server/dashboard): its pages are
 * served by `driftwatch serve` and exist only inside it.
 */
const CHANNELS = ['cli', 'server', 'github', 'slack', 'jobs', 'action'] as const;

/**
 * Which channels a channel may use: the service composes the others; the CLI
 * starts it, and sends one report itself (`driftwatch report --to slack`).
 * The GitHub Action is a view of its own over the core: it runs bundled, and
 * whatever it imported would be bundled with it.
 */
const ALLOWED: Record<(typeof CHANNELS)[number], readonly string[]> = {
  cli: ['server', 'slack'],
  server: ['github', 'slack', 'jobs'],
  github: ['jobs'],
  slack: [],
  jobs: [],
  action: [],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The top-level folder of src/ each relative import of `file` lands in. */
function importedFolders(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const folders: string[] = [];
  for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]/g)) {
    const target = path.resolve(path.dirname(file), match[1] as string);
    const relative = path.relative(SRC, target);
    if (!relative.startsWith('..')) folders.push(relative.split(path.sep)[0] as string);
  }
  for (const match of text.matchAll(/import\(\s*['"](\.[^'"]+)['"]\s*\)/g)) {
    const relative = path.relative(SRC, path.resolve(path.dirname(file), match[1] as string));
    if (!relative.startsWith('..')) folders.push(relative.split(path.sep)[0] as string);
  }
  return folders;
}

function folderOf(file: string): string {
  return path.relative(SRC, file).split(path.sep)[0] as string;
}

describe('architecture', () => {
  const files = sourceFiles(SRC);

  it('finds the sources it checks', () => {
    expect(files.some((file) => file.endsWith(path.join('check', 'run-check.ts')))).toBe(true);
    // init's detection is core (src/init), its command a channel (src/cli/init.ts): both are checked here.
    expect(files.some((file) => file.endsWith(path.join('init', 'plan-config.ts')))).toBe(true);
  });

  it('keeps every channel out of the core', () => {
    const violations: string[] = [];
    for (const file of files) {
      const folder = folderOf(file);
      if ((CHANNELS as readonly string[]).includes(folder)) continue;
      for (const imported of importedFolders(file)) {
        if ((CHANNELS as readonly string[]).includes(imported)) {
          violations.push(`${path.relative(SRC, file)} imports src/${imported}`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it('keeps the dashboard a view over the core: it imports no other channel', () => {
    const dashboard = files.filter((file) => path.relative(SRC, file).startsWith(path.join('server', 'dashboard')));
    expect(dashboard.length).toBeGreaterThan(0);
    const violations: string[] = [];
    for (const file of dashboard) {
      for (const imported of importedFolders(file)) {
        if (imported !== 'server' && (CHANNELS as readonly string[]).includes(imported)) {
          violations.push(`${path.relative(SRC, file)} imports src/${imported}`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it('lets no channel import another, beyond the service composing them', () => {
    const violations: string[] = [];
    for (const file of files) {
      const folder = folderOf(file) as (typeof CHANNELS)[number];
      if (!(CHANNELS as readonly string[]).includes(folder)) continue;
      for (const imported of importedFolders(file)) {
        if (imported === folder || !(CHANNELS as readonly string[]).includes(imported)) continue;
        if (!ALLOWED[folder].includes(imported)) violations.push(`${path.relative(SRC, file)} imports src/${imported}`);
      }
    }
    expect(violations).toEqual([]);
  });
});
