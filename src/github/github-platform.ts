import type { GithubClient } from './client.js';
import type {
  ChangedFileStatus,
  CheckRunRef,
  IssueComment,
  PlatformReader,
  PlatformWriter,
  TreeEntryType,
} from './platform.js';

/** A pull request by where it lives. */
export interface PullRequestRef {
  readonly owner: string;
  readonly repo: string;
  readonly number: number;
}

/** GitHub lists at most this many files of a pull request. */
export const MAX_LISTED_FILES = 3000;
const PAGE = 100;

/**
 * Reads a pull request through the REST API. Everything is read from the
 * base repository, a fork's head commit too (GitHub keeps it there, by SHA):
 * the bot never needs access to the fork.
 */
export function githubReader(client: GithubClient, pull: PullRequestRef): PlatformReader {
  const { owner, repo } = pull;
  return {
    async pullRequest() {
      const { data } = await client.rest.pulls.get({ owner, repo, pull_number: pull.number });
      const headRepo = data.head.repo?.full_name;
      const baseRepo = data.base.repo.full_name;
      return {
        number: data.number,
        state: data.state === 'open' ? 'open' : 'closed',
        draft: data.draft === true,
        headSha: data.head.sha,
        headRef: data.head.ref,
        baseSha: data.base.sha,
        baseRef: data.base.ref,
        ...(headRepo ? { headRepo } : {}),
        // A head repository that is gone (a deleted fork) is a fork too.
        fork: headRepo === undefined || headRepo.toLowerCase() !== baseRepo.toLowerCase(),
      };
    },
    async changedFiles() {
      const listed = await client.paginate(client.rest.pulls.listFiles, {
        owner,
        repo,
        pull_number: pull.number,
        per_page: PAGE,
      });
      const files = listed.map((file) => ({
        path: file.filename,
        status: file.status as ChangedFileStatus,
        ...(file.previous_filename ? { previousPath: file.previous_filename } : {}),
      }));
      return { files, truncated: files.length >= MAX_LISTED_FILES };
    },
    async tree(commitSha) {
      const { data } = await client.rest.git.getTree({ owner, repo, tree_sha: commitSha, recursive: 'true' });
      const entries = data.tree.flatMap((entry) =>
        entry.path && entry.sha && entry.type && entry.mode
          ? [
              {
                path: entry.path,
                type: entry.type as TreeEntryType,
                mode: entry.mode,
                sha: entry.sha,
                ...(entry.size === undefined ? {} : { size: entry.size }),
              },
            ]
          : [],
      );
      return { entries, truncated: data.truncated };
    },
    async blob(sha) {
      const { data } = await client.rest.git.getBlob({ owner, repo, file_sha: sha });
      return Buffer.from(data.content, data.encoding === 'utf-8' ? 'utf8' : 'base64');
    },
  };
}

export interface GithubWriterOptions {
  readonly reports: PlatformWriter['reports'];
  /** The login this client writes as (`driftwatch[bot]`), looked up once per service. */
  readonly login: () => Promise<string>;
  /** The App's id: check runs of other Apps with the same name are not ours. */
  readonly appId?: number;
}

/** Writes the comment, the check run or the commit status through the REST API. */
export function githubWriter(client: GithubClient, pull: PullRequestRef, options: GithubWriterOptions): PlatformWriter {
  const { owner, repo } = pull;
  const issue = { owner, repo, issue_number: pull.number };
  const toComment = (comment: { id: number; body?: string; user: { login: string } | null }): IssueComment => ({
    id: comment.id,
    body: comment.body ?? '',
    login: comment.user?.login ?? '',
  });
  return {
    reports: options.reports,
    login: options.login,
    async comments() {
      const listed = await client.paginate(client.rest.issues.listComments, { ...issue, per_page: PAGE });
      return listed.map(toComment);
    },
    async createComment(body) {
      const { data } = await client.rest.issues.createComment({ ...issue, body });
      return toComment(data);
    },
    async updateComment(id, body) {
      await client.rest.issues.updateComment({ owner, repo, comment_id: id, body });
    },
    async deleteComment(id) {
      await client.rest.issues.deleteComment({ owner, repo, comment_id: id });
    },
    async checkRuns(headSha, name) {
      const listed = await client.paginate(client.rest.checks.listForRef, {
        owner,
        repo,
        ref: headSha,
        check_name: name,
        filter: 'all',
        per_page: PAGE,
      });
      return listed
        .filter((run) => run.head_sha === headSha && (options.appId === undefined || run.app?.id === options.appId))
        .map((run): CheckRunRef => ({ id: run.id, status: run.status as CheckRunRef['status'] }))
        .sort((a, b) => b.id - a.id);
    },
    async createCheckRun(headSha, name) {
      const { data } = await client.rest.checks.create({
        owner,
        repo,
        name,
        head_sha: headSha,
        status: 'in_progress',
        started_at: new Date().toISOString(),
      });
      return { id: data.id, status: data.status as CheckRunRef['status'] };
    },
    async updateCheckRun(id, update) {
      const { output } = update;
      await client.rest.checks.update({
        owner,
        repo,
        check_run_id: id,
        ...(update.conclusion
          ? { status: 'completed' as const, conclusion: update.conclusion, completed_at: new Date().toISOString() }
          : {}),
        output: {
          title: output.title,
          summary: output.summary,
          ...(output.text ? { text: output.text } : {}),
          ...(output.annotations
            ? {
                annotations: output.annotations.map((annotation) => ({
                  path: annotation.path,
                  start_line: annotation.startLine,
                  end_line: annotation.endLine,
                  annotation_level: annotation.level,
                  title: annotation.title,
                  message: annotation.message,
                })),
              }
            : {}),
        },
      });
    },
    async setStatus(sha, status) {
      await client.rest.repos.createCommitStatus({ owner, repo, sha, ...status });
    },
  };
}
