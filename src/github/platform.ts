/**
 * The PR bot talks to the platform through two interfaces, as Danger does:
 * one to read (the pull request, its files, a commit's tree and blobs) and
 * one to write (the sticky comment, the check run, the commit status). The
 * analysis depends only on what was read, so tests can replay it; the
 * writer can be watched on its own.
 */

export interface PullRequestInfo {
  readonly number: number;
  readonly state: 'open' | 'closed';
  readonly draft: boolean;
  readonly headSha: string;
  readonly headRef: string;
  readonly baseSha: string;
  readonly baseRef: string;
  /** `owner/repo` the head branch lives in; another repository's for a fork. */
  readonly headRepo?: string;
  /** The head branch lives in a fork: its commit is still read through the base repository, by SHA. */
  readonly fork: boolean;
}

/** GitHub's statuses for a pull request's file. */
export type ChangedFileStatus = 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';

export interface ChangedFile {
  /** Repository-relative, `/`-separated. */
  readonly path: string;
  readonly status: ChangedFileStatus;
  /** For renames (and copies): where the file was. */
  readonly previousPath?: string;
}

export interface ChangedFiles {
  readonly files: readonly ChangedFile[];
  /** GitHub lists at most 3,000 files of a pull request: more than that and the list is incomplete. */
  readonly truncated: boolean;
}

export type TreeEntryType = 'blob' | 'tree' | 'commit';

export interface TreeEntry {
  /** Repository-relative, `/`-separated. */
  readonly path: string;
  readonly type: TreeEntryType;
  /** `100644`, `100755`, `120000` (a symbolic link), `040000`, `160000` (a submodule). */
  readonly mode: string;
  readonly sha: string;
  readonly size?: number;
}

export interface TreeListing {
  readonly entries: readonly TreeEntry[];
  /** GitHub cut the recursive listing short (very large trees). */
  readonly truncated: boolean;
}

export interface PlatformReader {
  pullRequest(): Promise<PullRequestInfo>;
  /** Every page of the pull request's files. */
  changedFiles(): Promise<ChangedFiles>;
  /** The whole tree of a commit, recursively, in one listing. */
  tree(commitSha: string): Promise<TreeListing>;
  blob(sha: string): Promise<Buffer>;
}

export interface IssueComment {
  readonly id: number;
  readonly body: string;
  /** The author's login: `driftwatch[bot]` for an App. */
  readonly login: string;
}

export type CheckConclusion = 'success' | 'failure' | 'neutral';

export interface CheckAnnotation {
  /** Repository-relative. */
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly level: 'notice' | 'warning' | 'failure';
  readonly title: string;
  readonly message: string;
}

export interface CheckOutput {
  readonly title: string;
  readonly summary: string;
  readonly text?: string;
  /** At most 50 per request (the Checks API's limit); the publisher batches them. */
  readonly annotations?: readonly CheckAnnotation[];
}

export interface CheckRunRef {
  readonly id: number;
  readonly status: 'queued' | 'in_progress' | 'completed';
}

export type CommitState = 'pending' | 'success' | 'failure' | 'error';

export interface PlatformWriter {
  /** Check runs (a GitHub App), or commit statuses (a plain token: the Checks API needs an App). */
  readonly reports: 'check-runs' | 'statuses';
  /** The login comments written through this writer carry. */
  login(): Promise<string>;
  /** Every page of the pull request's comments, oldest first. */
  comments(): Promise<IssueComment[]>;
  createComment(body: string): Promise<IssueComment>;
  updateComment(id: number, body: string): Promise<void>;
  deleteComment(id: number): Promise<void>;
  /** This App's check runs of `name` on `headSha`, newest first. */
  checkRuns(headSha: string, name: string): Promise<CheckRunRef[]>;
  createCheckRun(headSha: string, name: string): Promise<CheckRunRef>;
  /** Updates a check run; with `conclusion`, completes it. */
  updateCheckRun(
    id: number,
    update: { readonly conclusion?: CheckConclusion; readonly output: CheckOutput },
  ): Promise<void>;
  setStatus(
    sha: string,
    status: { readonly state: CommitState; readonly context: string; readonly description: string },
  ): Promise<void>;
}
