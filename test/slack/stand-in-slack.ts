import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One POST the stand-in received. */
export interface Received {
  readonly path: string;
  readonly body: string;
  /** When it arrived and when it was answered (ms since the epoch): waits are measured from these. */
  readonly at: number;
  answeredAt?: number;
  readonly answer: Answer;
}

/** What the stand-in does with a request: answer it, never answer (a timeout), or drop the connection. */
export type Answer =
  | { readonly status: number; readonly body?: string; readonly headers?: Readonly<Record<string, string>> }
  | 'hang';

export interface StandInSlack {
  /** The webhook URL: `http://127.0.0.1:PORT/services/T…/B…/token`. */
  readonly url: string;
  readonly received: Received[];
  /** Every request answered 2xx: what a channel would show. */
  accepted(): Received[];
  /** How the nth request (0-based) is answered; after the script, 200 ok. */
  script(answers: readonly Answer[] | ((index: number, request: IncomingMessage) => Answer)): void;
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 standing in for Slack's incoming webhooks:
 * records every POST with its body and timestamps, and answers as scripted
 * (Slack answers `ok`, or `no_service` 404 for a revoked webhook).
 */
export async function standInSlack(token = 'XXXXtesttokenXXXX'): Promise<StandInSlack> {
  const received: Received[] = [];
  const hanging = new Set<ServerResponse>();
  let scripted: (index: number, request: IncomingMessage) => Answer = () => ({ status: 200, body: 'ok' });
  const server = createServer(async (request, response) => {
    const at = Date.now();
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const answer = scripted(received.length, request);
    const entry: Received = { path: request.url ?? '', body: Buffer.concat(chunks).toString('utf8'), at, answer };
    received.push(entry);
    if (answer === 'hang') {
      hanging.add(response);
      return;
    }
    response.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
    response.end(answer.body ?? '');
    entry.answeredAt = Date.now();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/services/T0TEST/B0TEST/${token}`,
    received,
    accepted: () => received.filter((entry) => entry.answer !== 'hang' && entry.answer.status < 300),
    script(answers) {
      scripted = typeof answers === 'function' ? answers : (index) => answers[index] ?? { status: 200, body: 'ok' };
    },
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** A URL on 127.0.0.1 where nothing listens: a port the system just gave out and took back. */
export async function refusedUrl(): Promise<string> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return `http://127.0.0.1:${port}/services/T0TEST/B0TEST/refusedtokenXXXX`;
}
