import path from 'node:path';
import { isMap, isScalar, isSeq, type Node, parseDocument, type YAMLMap } from 'yaml';
import { plural } from '../../plural.js';
import { folderOf, joinPath } from '../file-names.js';
import type { Layout, LayoutMatch, PlannedSource, RepositoryFiles, Unplaced } from '../layout.js';

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const OVERLAY = /^(?:(.*)\/)?overlays\/([^/]+)\/(?:kustomization\.ya?ml|Kustomization)$/;

/**
 * Kustomize overlays: `overlays/<env>/` and everything its kustomization pulls
 * in, followed the way kustomize does — resources and bases first (the base
 * merged first), then generated ConfigMaps (their env files and files, each
 * mounted under the ConfigMap's name), then patch files. What driftwatch
 * cannot read is reported: inline and JSON 6902 patches, remote bases,
 * secret generators, literals, references to files that are not there.
 */
export const kustomizeLayout: Layout = {
  id: 'kustomize',
  title: 'Kustomize overlays',
  detect(repository) {
    const matches: LayoutMatch[] = [];
    const unplaced: Unplaced[] = [];
    const secretFiles: string[] = [];
    for (const file of repository.files) {
      const overlay = OVERLAY.exec(file);
      if (!overlay) continue;
      const [, parent = '', env] = overlay as unknown as [string, string | undefined, string];
      const dir = folderOf(file);
      const walk = new KustomizationWalk(repository);
      walk.visit(dir);
      const used = new Set([...walk.files, ...walk.mentioned]);
      for (const other of repository.files) {
        if (!other.startsWith(`${dir}/`) || used.has(other)) continue;
        if (!/\.(ya?ml|json|toml|env|properties)$/.test(other)) continue;
        walk.unplaced.push({ path: other, reason: `in ${dir}/, but no kustomization there uses it` });
      }
      unplaced.push(...walk.allUnplaced());
      secretFiles.push(...walk.secretFiles);
      if (walk.sources.length === 0) {
        unplaced.push({ path: `${dir}/`, reason: 'the overlay uses no file driftwatch can read' });
        continue;
      }
      matches.push({
        env,
        group: joinPath(parent, 'overlays'),
        groupPrefix: parent.split('/').at(-1) || 'kustomize',
        sources: walk.sources,
        evidence: `Kustomize overlay ${dir}/${walk.bases(dir).length > 0 ? ` over ${walk.bases(dir).join(', ')}` : ''} (${walk.summary()})`,
        files: walk.files,
      });
    }
    return { matches, unplaced, secretFiles };
  },
};

class KustomizationWalk {
  readonly sources: PlannedSource[] = [];
  readonly files: string[] = [];
  readonly unplaced: Unplaced[] = [];
  readonly secretFiles: string[] = [];
  /** Files a kustomization names that are not placed, but are reported for their own reason. */
  readonly mentioned: string[] = [];
  private readonly visited = new Set<string>();
  /** Per kustomization, the files it names that are not there: one line each, not one line per file. */
  private readonly missing = new Map<string, string[]>();
  private readonly inlinePatches = new Map<string, number>();
  private counts = { kustomizations: 0, resources: 0, generated: 0, patches: 0 };

  constructor(private readonly repository: RepositoryFiles) {}

  /** The unplaced entries, the missing files of each kustomization folded into one. */
  allUnplaced(): Unplaced[] {
    const folded = [...this.missing].map(([from, files]) => ({
      path: from,
      reason: `names ${files.length === 1 ? 'a file that is' : `${files.length} files that are`} not in the repository: ${files.join(', ')}`,
      about: 'content' as const,
    }));
    const inline = [...this.inlinePatches].map(([from, count]) => ({
      path: from,
      reason: `${count === 1 ? 'an inline patch' : `${count} inline patches`}: written in the kustomization, not in a file`,
      about: 'content' as const,
    }));
    return [...this.unplaced, ...folded, ...inline];
  }

  private notInRepository(from: string, file: string): void {
    const files = this.missing.get(from) ?? [];
    this.missing.set(from, [...files, file]);
  }

  /** The folders outside the overlay it builds on, outermost first: `kustomize/base/`. */
  bases(overlay: string): string[] {
    const outside = [...this.visited].filter((dir) => dir !== overlay && !dir.startsWith(`${overlay}/`));
    return outside.filter((dir) => !outside.some((other) => dir.startsWith(`${other}/`))).map((dir) => `${dir}/`);
  }

  summary(): string {
    const { kustomizations, resources, generated, patches } = this.counts;
    return [
      plural(kustomizations, 'kustomization'),
      plural(resources, 'resource file'),
      plural(generated, 'generator file'),
      `${patches} patch${patches === 1 ? '' : 'es'}`,
    ].join(', ');
  }

  /** Follows one kustomization folder, and the folders it builds on before it. */
  visit(dir: string): void {
    if (this.visited.has(dir)) return;
    this.visited.add(dir);
    const file = KUSTOMIZATION_FILES.map((name) => joinPath(dir, name)).find((name) => this.repository.has(name));
    if (!file) {
      this.unplaced.push({
        path: `${dir}/`,
        reason: 'a folder named as a kustomize resource, with no kustomization in it',
      });
      return;
    }
    const root = this.readKustomization(file);
    if (!root) return;
    this.counts.kustomizations++;
    this.files.push(file);
    const own: string[] = [];
    const patches: string[] = [];
    for (const reference of [...strings(root.get('resources', true)), ...strings(root.get('bases', true))]) {
      this.resource(dir, file, reference, own);
    }
    for (const reference of strings(root.get('components', true))) this.resource(dir, file, reference, own);
    if (own.length > 0) this.sources.push({ path: own.length === 1 ? (own[0] as string) : own });
    this.generators(dir, file, root.get('configMapGenerator', true));
    this.secretGenerators(dir, file, root.get('secretGenerator', true));
    for (const item of items(root.get('patches', true))) this.patch(dir, file, item, patches);
    for (const item of items(root.get('patchesStrategicMerge', true))) this.patch(dir, file, item, patches);
    for (const item of items(root.get('patchesJson6902', true))) {
      const reference = isMap(item) ? item.get('path') : undefined;
      const target = typeof reference === 'string' ? this.resolve(dir, reference) : undefined;
      if (target === undefined) {
        this.inlinePatches.set(file, (this.inlinePatches.get(file) ?? 0) + 1);
        continue;
      }
      this.mentioned.push(target);
      this.unplaced.push({ path: target, reason: `a JSON 6902 patch in ${file}: operations, not configuration` });
    }
    if (patches.length > 0) this.sources.push({ path: patches.length === 1 ? (patches[0] as string) : patches });
    const literals = [root.get('configMapGenerator', true)].flatMap((generators) =>
      items(generators).filter((generator) => isMap(generator) && generator.has('literals')),
    );
    if (literals.length > 0) {
      this.unplaced.push({
        path: file,
        reason: 'configMapGenerator literals are written in the kustomization itself',
        about: 'content',
      });
    }
  }

  /** The kustomization's top-level map; what cannot be read is reported with its line and column. */
  private readKustomization(file: string): YAMLMap | undefined {
    this.mentioned.push(file);
    let document: ReturnType<typeof parseDocument>;
    try {
      document = parseDocument(this.repository.read(file));
    } catch (error) {
      this.unplaced.push({ path: file, reason: `cannot be read: ${error instanceof Error ? error.message : error}` });
      return undefined;
    }
    const [problem] = document.errors;
    if (problem) {
      const at = problem.linePos?.[0];
      const where = at ? `${file}:${at.line}:${at.col}` : file;
      const message = (problem.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
      this.unplaced.push({ path: file, reason: `not YAML, so not followed (${where}: ${message})` });
      return undefined;
    }
    if (!isMap(document.contents)) {
      this.unplaced.push({ path: file, reason: 'not a kustomization: its top level is not a map, so not followed' });
      return undefined;
    }
    return document.contents;
  }

  private resource(dir: string, from: string, reference: string, own: string[]): void {
    if (/^[a-z]+:\/\/|^(github\.com|gitlab\.com|bitbucket\.org)\//.test(reference)) {
      this.unplaced.push({
        path: from,
        reason: `names a remote base, not in the repository: ${reference}`,
        about: 'content',
      });
      return;
    }
    const target = this.resolve(dir, reference);
    if (target === undefined) {
      this.unplaced.push({ path: from, reason: `names ${reference}, outside the repository`, about: 'content' });
      return;
    }
    if (this.repository.isDirectory(target)) {
      // A base is merged before what refers to it: flush what this kustomization has collected so far.
      if (own.length > 0) this.sources.push({ path: own.length === 1 ? (own[0] as string) : [...own] });
      own.length = 0;
      this.visit(target);
      return;
    }
    if (!this.repository.has(target)) {
      this.notInRepository(from, reference);
      return;
    }
    this.counts.resources++;
    this.files.push(target);
    own.push(target);
  }

  private generators(dir: string, from: string, generators: unknown): void {
    for (const generator of items(generators)) {
      if (!isMap(generator)) continue;
      const name = generator.get('name');
      if (typeof name !== 'string') continue;
      const files = [
        ...strings(generator.get('envs', true)),
        ...(typeof generator.get('env') === 'string' ? [generator.get('env') as string] : []),
        ...strings(generator.get('files', true)).map((entry) => entry.slice(entry.indexOf('=') + 1)),
      ];
      for (const reference of files) {
        const target = this.resolve(dir, reference);
        if (target === undefined || !this.repository.has(target)) {
          this.notInRepository(from, reference);
          continue;
        }
        const isEnvFile =
          strings(generator.get('envs', true)).includes(reference) || generator.get('env') === reference;
        if (!isEnvFile && !/\.(ya?ml|json|toml|properties|env)$/.test(target)) {
          this.unplaced.push({
            path: target,
            reason: `a file of ConfigMap ${name} in a format driftwatch does not read`,
          });
          continue;
        }
        this.counts.generated++;
        this.files.push(target);
        this.sources.push({
          path: target,
          ...(isEnvFile && !target.endsWith('.env') ? { format: 'dotenv' as const } : {}),
          prefix: /^[A-Za-z0-9_-]+$/.test(name) ? name : JSON.stringify(name),
        });
      }
    }
  }

  /**
   * A secretGenerator's files hold secrets: they are kept out of every
   * environment (not only this layout's), so that no other layout reads them
   * as plain values.
   */
  private secretGenerators(dir: string, from: string, generators: unknown): void {
    for (const generator of items(generators)) {
      if (!isMap(generator)) continue;
      const name = generator.get('name');
      const files = [
        ...strings(generator.get('envs', true)),
        ...(typeof generator.get('env') === 'string' ? [generator.get('env') as string] : []),
        ...strings(generator.get('files', true)).map((entry) => entry.slice(entry.indexOf('=') + 1)),
      ];
      for (const reference of files) {
        const target = this.resolve(dir, reference);
        if (target !== undefined) this.secretFiles.push(target);
        if (target !== undefined) this.mentioned.push(target);
      }
      this.unplaced.push({
        path: from,
        reason: `secretGenerator ${typeof name === 'string' ? name : '(unnamed)'}: its files hold secrets and are left out; add them by hand, listed under secrets: always:, to compare them by fingerprint`,
        about: 'content',
      });
    }
  }

  private patch(dir: string, from: string, item: unknown, patches: string[]): void {
    const reference = isScalar(item) ? item.value : isMap(item) ? item.get('path') : undefined;
    if (typeof reference !== 'string' || reference.includes('\n')) {
      this.inlinePatches.set(from, (this.inlinePatches.get(from) ?? 0) + 1);
      return;
    }
    const target = this.resolve(dir, reference);
    if (target === undefined || !this.repository.has(target)) {
      this.notInRepository(from, reference);
      return;
    }
    if (isJsonPatch(this.repository, target)) {
      this.mentioned.push(target);
      this.unplaced.push({ path: target, reason: `a JSON 6902 patch in ${from}: operations, not configuration` });
      return;
    }
    this.counts.patches++;
    this.files.push(target);
    patches.push(target);
  }

  /** A reference relative to a kustomization folder, as a repository path; undefined when it leaves the repository. */
  private resolve(dir: string, reference: string): string | undefined {
    const joined = path.posix.normalize(joinPath(dir, reference)).replace(/\/$/, '');
    if (joined === '..' || joined.startsWith('../') || path.posix.isAbsolute(joined)) return undefined;
    return joined === '.' ? '' : joined;
  }
}

function isJsonPatch(repository: RepositoryFiles, file: string): boolean {
  try {
    return /^\s*-\s*\{?\s*"?op"?\s*:/m.test(
      repository
        .read(file)
        .split(/\r?\n/)
        .find((line) => /\S/.test(line) && !/^\s*#/.test(line)) ?? '',
    );
  } catch {
    return false;
  }
}

function items(node: unknown): unknown[] {
  return isSeq(node) ? node.items : [];
}

function strings(node: unknown): string[] {
  return items(node as Node)
    .map((item) => (isScalar(item) ? item.value : item))
    .filter((value): value is string => typeof value === 'string');
}
