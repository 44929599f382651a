/**
 * Webhook acknowledgement: signed real deliveries (pull_request.synchronize
 * from @octokit/webhooks-examples, a distinct delivery id per request, spread
 * over 50 pull requests) sent by autocannon to driftwatch serve listening on
 * 127.0.0.1, and the same requests to a bare node:http server answering 202,
 * both measured in this run. Target: p99 ≤ 25 ms at 500 deliveries/s.
 * Each delivery is verified, recorded in the SQLite store (one transaction)
 * and queued, and logged as one JSON line.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import type { WebhookDefinition } from '@octokit/webhooks-examples';
import { sign } from '@octokit/webhooks-methods';
import autocannon, { type Result } from 'autocannon';
import type { BenchLine } from './bench.js';

const SECRET = 'bench-webhook-secret';
const PULL_REQUESTS = 50;
const RATE = 500;
const TARGET_P99_MS = 25;
const DURATION_S = Number(process.env.BENCH_SERVER_SECONDS ?? '10');
const TSX_LOADER = path.resolve(import.meta.dirname, '../node_modules/tsx/dist/loader.mjs');

export async function bench(): Promise<BenchLine[]> {
  const deliveries = await signedBodies();
  const directory = mkdtempSync(path.join(tmpdir(), 'driftwatch-bench-server-'));
  const bare = await startServer('bare', directory);
  const service = await startServer('service', directory);
  try {
    // Warm both up (JIT, SQLite pages), then measure each the same way.
    await load(bare.port, deliveries, { duration: 2 });
    await load(service.port, deliveries, { duration: 2 });
    const bareAtRate = await load(bare.port, deliveries, { rate: RATE });
    const serviceAtRate = await load(service.port, deliveries, { rate: RATE });
    const bareFlat = await measureCpu(bare, () => load(bare.port, deliveries, {}));
    const serviceFlat = await measureCpu(service, () => load(service.port, deliveries, {}));
    for (const [name, result] of [
      ['service', serviceAtRate],
      ['service', serviceFlat.result],
    ] as const) {
      const accepted = result.statusCodeStats['202']?.count ?? 0;
      if (result.errors > 0 || accepted !== result.requests.total) {
        throw new Error(`${name}: ${result.errors} errors, ${accepted} of ${result.requests.total} requests got 202`);
      }
    }
    const achievedRate = serviceAtRate.requests.total / serviceAtRate.duration;
    return [
      {
        name: `service p99 acknowledgement at ${RATE} deliveries/s`,
        value: serviceAtRate.latency.p99,
        unit: 'ms',
        note: `target <= ${TARGET_P99_MS} ms; p50 ${serviceAtRate.latency.p50} ms, max ${serviceAtRate.latency.max} ms; ${achievedRate.toFixed(0)}/s achieved`,
        ok: serviceAtRate.latency.p99 <= TARGET_P99_MS && achievedRate >= RATE * 0.95,
      },
      {
        name: `bare node:http p99 at ${RATE} requests/s`,
        value: bareAtRate.latency.p99,
        unit: 'ms',
        note: `p50 ${bareAtRate.latency.p50} ms`,
      },
      {
        name: `service p99 at ${RATE}/s, ratio to bare node:http`,
        value: serviceAtRate.latency.p99 / Math.max(bareAtRate.latency.p99, 1),
        unit: 'x',
        note: 'the bare p99 is floored at 1 ms (autocannon measures whole milliseconds)',
      },
      {
        name: 'service acknowledged deliveries/s (10 connections, no rate limit)',
        value: Math.round(serviceFlat.result.requests.total / serviceFlat.result.duration),
        unit: '/s',
        note: `p99 ${serviceFlat.result.latency.p99} ms`,
      },
      {
        name: 'bare node:http requests/s (10 connections, no rate limit)',
        value: Math.round(bareFlat.result.requests.total / bareFlat.result.duration),
        unit: '/s',
      },
      {
        name: 'service throughput, ratio to bare node:http',
        value:
          serviceFlat.result.requests.total /
          serviceFlat.result.duration /
          (bareFlat.result.requests.total / bareFlat.result.duration),
        unit: 'x',
      },
      {
        name: 'service CPU per delivery',
        value: serviceFlat.cpuMsPerRequest,
        unit: 'ms',
        note: `bare node:http ${bareFlat.cpuMsPerRequest.toFixed(3)} ms; CPU time is what other processes on the machine disturb least`,
      },
      {
        name: 'service CPU per delivery, ratio to bare node:http',
        value: serviceFlat.cpuMsPerRequest / bareFlat.cpuMsPerRequest,
        unit: 'x',
      },
    ];
  } finally {
    await bare.stop();
    await service.stop();
    rmSync(directory, { recursive: true, force: true });
  }
}

interface SignedBody {
  readonly body: string;
  readonly signature: string;
}

/** Fifty pull requests' synchronize deliveries, each body signed once: the signature covers the body only. */
async function signedBodies(): Promise<SignedBody[]> {
  const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as WebhookDefinition[];
  const synchronize = (examples.find((definition) => definition.name === 'pull_request')?.examples ?? []).find(
    (example) => (example as { action?: string }).action === 'synchronize',
  );
  if (synchronize === undefined) throw new Error('no pull_request.synchronize example');
  const bodies: SignedBody[] = [];
  for (let number = 1; number <= PULL_REQUESTS; number++) {
    const payload = structuredClone(synchronize) as { number: number; pull_request: { number: number } };
    payload.number = number;
    payload.pull_request.number = number;
    const body = JSON.stringify(payload);
    bodies.push({ body, signature: await sign(SECRET, body) });
  }
  return bodies;
}

async function load(
  port: number,
  deliveries: readonly SignedBody[],
  options: { readonly rate?: number; readonly duration?: number },
): Promise<Result> {
  let next = 0;
  return autocannon({
    url: `http://127.0.0.1:${port}/webhooks/github`,
    connections: 10,
    duration: options.duration ?? DURATION_S,
    ...(options.rate === undefined ? {} : { overallRate: options.rate }),
    requests: [
      {
        method: 'POST',
        // A distinct delivery id on every request, as GitHub sends them: none is a duplicate.
        setupRequest(request) {
          const delivery = deliveries[next++ % deliveries.length] as SignedBody;
          return {
            ...request,
            headers: {
              'content-type': 'application/json',
              'user-agent': 'GitHub-Hookshot/bench',
              'x-github-event': 'pull_request',
              'x-github-delivery': randomUUID(),
              'x-hub-signature-256': delivery.signature,
            },
            body: delivery.body,
          };
        },
      },
    ],
  });
}

interface RunningServer {
  readonly port: number;
  /** The server process's CPU time so far (user + system), in ms. */
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

/** A load run, with the server's CPU time per request during it. */
async function measureCpu(
  server: RunningServer,
  run: () => Promise<Result>,
): Promise<{ result: Result; cpuMsPerRequest: number }> {
  const before = await server.cpuMs();
  const result = await run();
  const after = await server.cpuMs();
  return { result, cpuMsPerRequest: (after - before) / Math.max(1, result.requests.total) };
}

async function startServer(mode: 'bare' | 'service', cwd: string): Promise<RunningServer> {
  const child: ChildProcess = spawn(
    process.execPath,
    // tsx by path: the server runs in a temp directory, where the package cannot be found by name.
    ['--import', pathToFileURL(TSX_LOADER).href, path.join(import.meta.dirname, 'server-process.ts'), mode],
    {
      cwd,
      env: {
        PATH: process.env.PATH ?? '',
        PORT: '0',
        HOST: '127.0.0.1',
        GITHUB_WEBHOOK_SECRET: SECRET,
        GITHUB_TOKEN: 'bench-token-not-used',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    },
  );
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      if (!line.includes('"msg":"listening"')) return;
      resolve((JSON.parse(line) as { port: number }).port);
    });
    void exited.then(() => reject(new Error(`the ${mode} server exited before listening`)));
  });
  return {
    port,
    cpuMs() {
      return new Promise((resolve) => {
        child.once('message', (usage) => {
          const { user, system } = usage as NodeJS.CpuUsage;
          resolve((user + system) / 1000);
        });
        child.send('cpu');
      });
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
