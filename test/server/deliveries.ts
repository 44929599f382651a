import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { WebhookDefinition } from '@octokit/webhooks-examples';
import { sign } from '@octokit/webhooks-methods';

// The examples are one JSON file; require reads it the same under vitest, tsx and node.
const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as WebhookDefinition[];

/** A real payload from @octokit/webhooks-examples: the first example of `event` with `action` (and an installation, when one has it). */
export function examplePayload(event: string, action?: string): Record<string, unknown> {
  const definition = examples.find((candidate) => candidate.name === event);
  if (definition === undefined) throw new Error(`no examples for ${event}`);
  const matching = (definition.examples as Record<string, unknown>[]).filter(
    (example) => action === undefined || example.action === action,
  );
  const chosen = matching.find((example) => example.installation !== undefined) ?? matching[0];
  if (chosen === undefined) throw new Error(`no ${event}.${action} example`);
  return structuredClone(chosen);
}

/** The `synchronize` example moved to head number `index`: a distinct head, pushed `index` seconds after the first. */
export function synchronizeTo(index: number): { payload: Record<string, unknown>; headSha: string } {
  const payload = examplePayload('pull_request', 'synchronize');
  const pullRequest = payload.pull_request as { head: { sha: string }; updated_at: string };
  const headSha = index.toString(16).padStart(40, 'a');
  const previous = (index - 1).toString(16).padStart(40, 'a');
  pullRequest.head.sha = headSha;
  pullRequest.updated_at = new Date(Date.parse('2026-01-01T12:00:00Z') + index * 1000).toISOString();
  payload.before = previous;
  payload.after = headSha;
  return { payload, headSha };
}

export interface Delivery {
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly id: string;
}

/** A delivery as GitHub sends it: JSON body, event, a fresh delivery id, signed with the real `sign`. */
export async function signedDelivery(
  event: string,
  payload: unknown,
  secret: string,
  options: { readonly id?: string; readonly body?: string } = {},
): Promise<Delivery> {
  const body = options.body ?? JSON.stringify(payload);
  const id = options.id ?? randomUUID();
  return {
    id,
    body,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/1a2b3c4',
      'x-github-event': event,
      'x-github-delivery': id,
      'x-hub-signature-256': await sign(secret, body),
    },
  };
}
