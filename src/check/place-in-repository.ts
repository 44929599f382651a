import path from 'node:path';
import type { FindingLocation, MatrixRow, Report, ReportError } from '../report/report.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import type { SourceKind } from '../sources/source.js';
import type { Workspace } from './workspace.js';

/** Sources whose documents are not files of the repository: what they name is a URL, a command, `env`. */
const NOT_FILES: ReadonlySet<SourceKind> = new Set(['url', 'command', 'env']);

/**
 * Rewrites every file a report names from "relative to the config's folder"
 * (how sources, packs and the code scan name them) to "from the repository
 * root", and marks it as such, so that SARIF, annotations and the JSON
 * contract point at files a platform can find whichever folder holds
 * driftwatch.yaml. What a `url`, `command` or `env` source names is left as it
 * is and unmarked; so is a path that leaves the repository, or an absolute one
 * (the SQLite history file).
 */
export function placeInRepository(report: Report, workspace: Workspace, snapshots: readonly Snapshot[]): Report {
  const prefix = workspace.repositoryPrefix;
  const notFiles = notFileNames(workspace, snapshots);
  // A report names few files, each in many locations: each is placed once.
  const placedFiles = new Map<string, { file: string; inRepository: boolean }>();
  const fromRoot = (file: string): { file: string; inRepository: boolean } => {
    let placed = placedFiles.get(file);
    if (placed === undefined) {
      const joined = path.posix.normalize(path.posix.join(prefix, file));
      placed =
        joined === '..' || joined.startsWith('../')
          ? { file, inRepository: false }
          : { file: joined, inRepository: true };
      placedFiles.set(file, placed);
    }
    return placed;
  };
  const place = (env: string | undefined, file: string, source?: string): { file: string; inRepository: boolean } => {
    const names = notFiles.get(env ?? '');
    if (names?.has(file) || (source !== undefined && names?.has(source)) || isAbsolute(file)) {
      return { file, inRepository: false };
    }
    return fromRoot(file);
  };
  return {
    ...report,
    findings: report.findings.map((finding) => ({
      ...finding,
      locations: finding.locations.map(
        (location): FindingLocation => ({ ...location, ...place(location.env, location.file) }),
      ),
      // A rule of a pack in the repository is pointed at there; a built-in pack (`driftwatch:…`) is nowhere in it.
      ...(finding.ruleLocation && !finding.ruleLocation.file.startsWith('driftwatch:')
        ? { ruleLocation: { ...finding.ruleLocation, file: place(undefined, finding.ruleLocation.file).file } }
        : {}),
    })),
    errors: report.errors.map(
      (error): ReportError =>
        error.file === undefined ? error : { ...error, ...place(error.env, error.file, error.source) },
    ),
    configFile: path.posix.join(prefix, path.basename(workspace.config.file)),
    ...(report.matrix ? { matrix: placedMatrix(report.matrix, report, place) } : {}),
  };
}

/** The matrix's files placed like findings' locations: once per environment and file, not once per cell. */
function placedMatrix(
  matrix: readonly MatrixRow[],
  report: Report,
  place: (env: string | undefined, file: string) => { file: string },
): MatrixRow[] {
  const placed = report.environments.map(() => new Map<string, string>());
  return matrix.map((row) => ({
    key: row.key,
    cells: row.cells.map((cell, index) => {
      if (cell === undefined) return undefined;
      const known = placed[index] as Map<string, string>;
      let file = known.get(cell.file);
      if (file === undefined) {
        file = place(report.environments[index]?.name, cell.file).file;
        known.set(cell.file, file);
      }
      return { ...cell, file };
    }),
  }));
}

/**
 * Per environment, the names that stand for something other than a file: the
 * labels of its url, command and env sources, and the documents they read
 * (a masked URL, the command line, `env`).
 */
function notFileNames(workspace: Workspace, snapshots: readonly Snapshot[]): Map<string, Set<string>> {
  const names = new Map<string, Set<string>>();
  for (const environment of workspace.config.environments) {
    const labels = new Set<string>();
    for (const source of environment.sources) if (NOT_FILES.has(source.kind)) labels.add(source.label);
    const snapshot = snapshots.find((candidate) => candidate.env === environment.name);
    for (const status of snapshot?.sources ?? []) {
      if (labels.has(status.source)) for (const document of status.documents) labels.add(document);
    }
    names.set(environment.name, labels);
  }
  return names;
}

/** `/var/lib/app/.driftwatch/driftwatch.db`, `C:\\work\\x`, `https://config.internal/app`: not a path from the config's folder. */
function isAbsolute(file: string): boolean {
  return path.posix.isAbsolute(file) || path.win32.isAbsolute(file) || /^[a-z][a-z0-9+.-]*:\/\//i.test(file);
}
