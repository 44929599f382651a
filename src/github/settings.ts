/**
 * What the PR bot needs to talk to GitHub, validated from the environment by
 * the service's settings (GITHUB_WEBHOOK_SECRET, GITHUB_APP_ID +
 * GITHUB_APP_PRIVATE_KEY or GITHUB_TOKEN, GITHUB_API_URL).
 */
export interface GithubSettings {
  /** Every secret a delivery may be signed with: more than one while a secret is rotated. */
  readonly webhookSecrets: readonly string[];
  readonly auth: GithubAuth;
  /** `https://api.github.com`, a GitHub Enterprise API, or a stand-in in tests. */
  readonly apiUrl: string;
}

export type GithubAuth =
  /** A GitHub App: installation tokens per repository; check runs with annotations. */
  | { readonly kind: 'app'; readonly appId: number; readonly privateKey: string }
  /** A plain token: comments and commit statuses (the Checks API needs an App). */
  | { readonly kind: 'token'; readonly token: string };
