/**
 * One server for bench/server.ts, in a process of its own so that autocannon
 * and the server do not share an event loop. `bare`: node:http reading the
 * body and answering 202, the floor any service stands on. `service`:
 * driftwatch serve as it runs — settings from the environment, SQLite store,
 * in-process queue, JSON logs — with an analysis that does nothing (the
 * benchmark measures acknowledgement, not analysis). Prints the port as one
 * JSON line `{"msg":"listening","port":…}`; answers the message `cpu` on its
 * IPC channel with its CPU time so far.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadServerSettings } from '../src/server/settings.js';
import { startService } from '../src/server/start-server.js';

const mode = process.argv[2];
process.on('message', (message) => {
  if (message === 'cpu') process.send?.(process.cpuUsage());
});
// The channel must not keep the process alive once its server has closed.
process.channel?.unref();
if (mode === 'bare') {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(202, { 'content-type': 'application/json; charset=utf-8' });
      response.end('{"outcome":"queued"}');
    });
  });
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ msg: 'listening', port: (server.address() as AddressInfo).port })}\n`);
  });
  process.on('SIGTERM', () => server.close());
} else {
  const settings = loadServerSettings(process.env, { cwd: process.cwd() });
  await startService({ settings, createAnalyzer: () => async () => undefined });
}
